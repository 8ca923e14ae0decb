using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using SpNet.Bench.Harness.Sides;
using SpNet.Bench.Native;

namespace SpNet.Bench.Harness;

/// <summary>
/// The sides of <c>reqrep</c> on NNG 1.5.2, as NNG's own context examples run it. NNG 1.5.2 has no blocking context calls, so:
/// <list type="bullet">
/// <item>Each REP worker is a dedicated thread with its own context and aio (no callback): <c>nng_ctx_recv</c> +
/// <c>nng_aio_wait</c>, then the same message back with <c>nng_ctx_send</c> + <c>nng_aio_wait</c>. W threads.</item>
/// <item>Each REQ client is a context whose aio carries a completion callback that drives it (send done → receive;
/// reply → check, next request), so the C clients run on NNG's own fixed pool of task threads rather than on C
/// threads of ours (one blocked thread per client would be 1,000 threads).</item>
/// </list>
/// </summary>
internal static unsafe class NngReqRep
{
    /// <summary>The REP side: W worker threads, each a context and an aio; serves until the clients say "done".</summary>
    public static void Serve(SideLink link, ReqRepOptions options, string url)
    {
        uint rep = Open(() => NngNative.nng_rep0_open(out uint socket) is int rv && rv == 0 ? socket : throw Failure(rv, "nng_rep0_open"));
        var workers = new List<Thread>();
        try
        {
            link.Ready(Listen(rep, url));
            for (int w = 0; w < options.Workers; w++)
            {
                Check(NngNative.nng_ctx_open(out uint context, rep), "nng_ctx_open(rep)");
                var worker = new Thread(() => Echo(context)) { IsBackground = true, Name = $"nng rep{w}" };
                workers.Add(worker);
                worker.Start();
            }
            ReqRepSides.MeasureWhileServed(link);
        }
        finally
        {
            _ = NngNative.nng_close(rep); // fails the workers' pending receives with NNG_ECLOSED
            foreach (Thread worker in workers)
            {
                worker.Join(TimeSpan.FromSeconds(10));
            }
        }
    }

    /// <summary>The REQ side: C clients driven by aio callbacks on NNG's task threads; reports the tally, then says "done".</summary>
    public static void Clients(SideLink link, ReqRepOptions options, string url)
    {
        var reqSockets = new List<uint>();
        var clients = new List<Client>();
        try
        {
            int sockets = options.Sockets ? options.Clients : 1;
            for (int i = 0; i < sockets; i++)
            {
                uint req = Open(() => NngNative.nng_req0_open(out uint socket) is int rv && rv == 0 ? socket : throw Failure(rv, "nng_req0_open"));
                reqSockets.Add(req);
                Check(NngNative.nng_dial(req, url, out _, 0), "nng_dial"); // flags 0: returns once connected
            }
            ReqRepTally tally = ReqRepSides.Tally(link, options);
            for (int c = 0; c < options.Clients; c++)
            {
                clients.Add(new Client(tally, c, reqSockets[options.Sockets ? c : 0], options.Size));
            }
            foreach (Client client in clients)
            {
                client.StartNext();
            }
            ReqRepSides.Finish(link, tally, options);
        }
        finally
        {
            foreach (Client client in clients)
            {
                client.Dispose(); // nng_aio_stop waits out a callback in progress
            }
            foreach (uint req in reqSockets)
            {
                _ = NngNative.nng_close(req);
            }
        }
    }

    private static void Echo(uint context)
    {
        if (NngNative.nng_aio_alloc(out nint aio, null, 0) != 0)
        {
            _ = NngNative.nng_ctx_close(context);
            return;
        }
        try
        {
            while (true)
            {
                NngNative.nng_ctx_recv(context, aio);
                NngNative.nng_aio_wait(aio);
                if (NngNative.nng_aio_result(aio) != 0)
                {
                    return; // closed (or canceled by close)
                }
                nint message = NngNative.nng_aio_get_msg(aio);
                NngNative.nng_aio_set_msg(aio, message);
                NngNative.nng_ctx_send(context, aio);
                NngNative.nng_aio_wait(aio);
                int rv = NngNative.nng_aio_result(aio);
                if (rv != 0)
                {
                    // A failed send leaves the message with us.
                    NngNative.nng_msg_free(NngNative.nng_aio_get_msg(aio));
                    if (rv is NngNative.EClosed or NngNative.ECanceled)
                    {
                        return;
                    }
                }
            }
        }
        finally
        {
            NngNative.nng_aio_free(aio);
            _ = NngNative.nng_ctx_close(context);
        }
    }

    /// <summary>The aio completion callback: runs on an NNG task thread; must not throw or block.</summary>
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnAioCompleted(nint state)
    {
        if (GCHandle.FromIntPtr(state).Target is Client client)
        {
            client.OnCompleted();
        }
    }

    /// <summary>One REQ client: a context and an aio whose callback moves it from send to receive to the next request.</summary>
    private sealed class Client : IDisposable
    {
        private readonly ReqRepTally _tally;
        private readonly int _index;
        private readonly byte[] _request;
        private readonly GCHandle _self;
        private readonly nint _aio;
        private readonly uint _context;
        private long _sequence;
        private long _start;
        private bool _sending;
        private bool _finished;

        public Client(ReqRepTally tally, int index, uint socket, int size)
        {
            _tally = tally;
            _index = index;
            _request = new byte[size];
            _self = GCHandle.Alloc(this);
            Check(NngNative.nng_ctx_open(out _context, socket), "nng_ctx_open(req)");
            Check(NngNative.nng_aio_alloc(out _aio, &OnAioCompleted, GCHandle.ToIntPtr(_self)), "nng_aio_alloc");
        }

        /// <summary>Sends the next request, or finishes when the run is over. Called from the callback, or once to start.</summary>
        public void StartNext()
        {
            if (!_tally.TryStart())
            {
                Finish();
                return;
            }
            ReqRepTally.WriteId(_request, _index, _sequence++);
            int rv = NngNative.nng_msg_alloc(out nint message, (nuint)_request.Length);
            if (rv != 0)
            {
                _tally.Fail($"nng_msg_alloc: {NngNative.Error(rv)}");
                Finish();
                return;
            }
            _request.CopyTo(new Span<byte>(NngNative.nng_msg_body(message), _request.Length));
            _sending = true;
            _start = Stopwatch.GetTimestamp();
            NngNative.nng_aio_set_timeout(_aio, (int)ReqRepOptions.ReplyTimeout.TotalMilliseconds);
            NngNative.nng_aio_set_msg(_aio, message);
            NngNative.nng_ctx_send(_context, _aio);
        }

        public void OnCompleted()
        {
            try
            {
                int rv = NngNative.nng_aio_result(_aio);
                if (_sending)
                {
                    _sending = false;
                    if (rv != 0)
                    {
                        NngNative.nng_msg_free(NngNative.nng_aio_get_msg(_aio)); // a failed send leaves the message with us
                        if (rv == NngNative.ETimedOut)
                        {
                            _tally.Lost();
                            StartNext();
                            return;
                        }
                        _tally.Fail($"nng_ctx_send: {NngNative.Error(rv)}");
                        Finish();
                        return;
                    }
                    NngNative.nng_ctx_recv(_context, _aio); // the aio keeps its timeout: the reply's deadline
                    return;
                }
                if (rv == NngNative.ETimedOut)
                {
                    _tally.Lost();
                }
                else if (rv != 0)
                {
                    _tally.Fail($"nng_ctx_recv: {NngNative.Error(rv)}");
                    Finish();
                    return;
                }
                else
                {
                    nint reply = NngNative.nng_aio_get_msg(_aio);
                    var body = new ReadOnlySpan<byte>(NngNative.nng_msg_body(reply), (int)NngNative.nng_msg_len(reply));
                    _tally.Reply(_index, _start, _request, body);
                    NngNative.nng_msg_free(reply);
                }
                StartNext();
            }
            catch (Exception ex)
            {
                // Nothing may escape into NNG's thread.
                _tally.Fail($"client {_index}: {ex.Message}");
                Finish();
            }
        }

        private void Finish()
        {
            if (!_finished)
            {
                _finished = true;
                _tally.Finished();
            }
        }

        public void Dispose()
        {
            NngNative.nng_aio_stop(_aio);
            NngNative.nng_aio_free(_aio);
            _ = NngNative.nng_ctx_close(_context);
            _self.Free();
        }
    }

    private static string Listen(uint socket, string url)
    {
        Check(NngNative.nng_listen(socket, url, out uint listener, 0), "nng_listen");
        if (url.StartsWith("tcp://", StringComparison.Ordinal) && url.EndsWith(":0", StringComparison.Ordinal))
        {
            Check(NngNative.nng_listener_get_int(listener, NngNative.OptTcpBoundPort, out int port), "nng_listener_get_int(tcp-bound-port)");
            return string.Concat(url.AsSpan(0, url.Length - 1), port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        return url;
    }

    private static uint Open(Func<uint> open)
    {
        try
        {
            return open();
        }
        catch (DllNotFoundException ex)
        {
            throw new BenchException($"{NngNative.Library} not found: install NNG 1.5.2 (Debian libnng1)", ex);
        }
    }

    private static BenchException Failure(int rv, string what) => new($"{what}: {NngNative.Error(rv)}");

    private static void Check(int rv, string what)
    {
        if (rv != 0)
        {
            throw new BenchException($"{what}: {NngNative.Error(rv)}");
        }
    }
}
