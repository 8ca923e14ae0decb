using System.Collections.Concurrent;
using System.Text;

namespace SpNet.Discovery.Tests.Services;

/// <summary>
/// Requests to the "kv" service from every client, back to back, until stopped: what a control-plane failure must not
/// interrupt. It counts completed requests, keeps every failure, and notes the fewest "kv" members any view a client
/// published listed. Shared by the three-registry and the etcd tests (linked into SpNet.Discovery.Etcd.Tests).
/// </summary>
internal sealed class RequestLoad
{
    private readonly ConcurrentQueue<Exception> _failures = new();
    private readonly Task[] _runs;
    private int _completed;
    private int _fewest;
    private volatile bool _done;

    private RequestLoad(IReadOnlyList<ServiceClient> clients, int members, Action<string, string>? checkReply)
    {
        _fewest = members;
        foreach (ServiceClient client in clients)
        {
            client.Discovery.Changed += (_, s) => LowerFewest(s.MembersOf("kv").Count);
        }
        _runs = [.. clients.Select((client, c) => Task.Run(async () =>
        {
            for (int i = 0; !_done; i++)
            {
                string request = $"c{c}r{i}";
                try
                {
                    string reply = Encoding.UTF8.GetString(await client.RequestAsync("kv", Encoding.UTF8.GetBytes(request)));
                    checkReply?.Invoke(request, reply);
                }
                catch (Exception ex)
                {
                    _failures.Enqueue(ex);
                }
                Interlocked.Increment(ref _completed);
            }
        }))];
    }

    /// <summary>Requests completed so far, failed or not.</summary>
    public int Completed => Volatile.Read(ref _completed);

    /// <summary>The fewest "kv" members a client's view listed since the load started.</summary>
    public int Fewest => Volatile.Read(ref _fewest);

    /// <summary>Every request that failed, and every reply <c>checkReply</c> refused.</summary>
    public IReadOnlyCollection<Exception> Failures => _failures;

    /// <summary>
    /// Starts requesting from every client of <paramref name="clients"/>, whose views list <paramref name="members"/>
    /// "kv" members now; <paramref name="checkReply"/> (request, reply) may assert on each reply.
    /// </summary>
    public static RequestLoad Start(IReadOnlyList<ServiceClient> clients, int members, Action<string, string>? checkReply = null) =>
        new(clients, members, checkReply);

    /// <summary>Stops the requests and waits, at most <paramref name="bound"/>, for the ones in flight.</summary>
    public Task StopAsync(TimeSpan bound)
    {
        _done = true;
        return Task.WhenAll(_runs).WaitAsync(bound);
    }

    private void LowerFewest(int value)
    {
        int current;
        while (value < (current = Volatile.Read(ref _fewest)) && Interlocked.CompareExchange(ref _fewest, value, current) != current)
        {
        }
    }
}
