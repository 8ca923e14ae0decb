using SpNet.Core;
using SpNet.TestKit;

namespace SpNet.Tests.Core;

public class WriterRoleTests
{
    [Fact]
    public void Only_one_holder_at_a_time()
    {
        var role = new WriterRole();
        Assert.True(role.TryAcquire());
        Assert.False(role.TryAcquire());
        role.Release();
        Assert.True(role.TryAcquire());
    }

    [Fact]
    public async Task The_write_loop_waits_while_a_sender_holds_it_and_gets_it_when_released()
    {
        var role = new WriterRole();
        Assert.True(role.TryAcquire());
        ValueTask waiting = role.AcquireAsync();
        Assert.False(waiting.IsCompleted);
        role.Release();
        await Eventually.Within(waiting.AsTask(), "the waiting loop to get the role");
        Assert.False(role.TryAcquire()); // the loop holds it now
        role.Release();
    }

    [Fact]
    public async Task A_released_role_goes_to_whoever_takes_it_first_not_to_the_waiter()
    {
        // A semaphore would hand the released role to the queued waiter; here a sender may take it first, and the
        // waiter then waits for that sender's release.
        var role = new WriterRole();
        Assert.True(role.TryAcquire());
        ValueTask waiting = role.AcquireAsync();
        role.Release();
        bool senderGotIt = role.TryAcquire();
        if (senderGotIt)
        {
            role.Release();
        }
        await Eventually.Within(waiting.AsTask(), "the waiting loop to get the role");
        role.Release();
    }

    [Fact]
    public async Task Senders_and_the_loop_never_hold_it_together()
    {
        var role = new WriterRole();
        int inside = 0;
        int overlaps = 0;
        const int Rounds = 50_000;

        void Critical()
        {
            if (Interlocked.Increment(ref inside) != 1)
            {
                Interlocked.Increment(ref overlaps);
            }
            Interlocked.Decrement(ref inside);
        }

        Task senders = Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
        {
            for (int i = 0; i < Rounds; i++)
            {
                if (role.TryAcquire())
                {
                    Critical();
                    role.Release();
                }
            }
        })));
        Task loop = Task.Run(async () =>
        {
            for (int i = 0; i < Rounds / 10; i++)
            {
                await role.AcquireAsync();
                Critical();
                role.Release();
            }
        });
        await Eventually.Within(Task.WhenAll(senders, loop), "senders and the loop to finish", TimeSpan.FromSeconds(120));
        Assert.Equal(0, overlaps);
    }
}
