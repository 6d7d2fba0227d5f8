using CreditGrid.Grains.Streaming;
using Microsoft.Extensions.Time.Testing;

namespace CreditGrid.Grains.Tests.Streaming;

public sealed class IdlePollBackoffTests
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan Longest = TimeSpan.FromMilliseconds(200);

    [Fact]
    public void A_partition_with_events_is_read_at_every_poll()
    {
        var backoff = new IdlePollBackoff(Poll, Longest, new FakeTimeProvider());

        for (var i = 0; i < 5; i++)
        {
            Assert.True(backoff.IsDue());
            backoff.FoundEvents();
        }

        Assert.Equal(TimeSpan.Zero, backoff.Wait);
    }

    [Fact]
    public void A_partition_fed_within_the_quiet_spell_is_read_at_every_poll_even_between_its_events()
    {
        var time = new FakeTimeProvider();
        var backoff = new IdlePollBackoff(Poll, Longest, time);

        // A record every 500 ms: the empty polls in between never space the reads out.
        for (var poll = 0; poll < 200; poll++)
        {
            Assert.True(backoff.IsDue());
            if (poll % 25 == 0)
            {
                backoff.FoundEvents();
            }
            else
            {
                backoff.FoundNothing();
                Assert.Equal(Poll, backoff.Wait);
            }

            time.Advance(Poll);
        }
    }

    [Fact]
    public void After_a_quiet_spell_each_empty_read_doubles_the_wait_up_to_the_longest()
    {
        var time = new FakeTimeProvider();
        var backoff = new IdlePollBackoff(Poll, Longest, time);
        backoff.FoundEvents();
        time.Advance(IdlePollBackoff.QuietSpell);

        var waits = new List<double>();
        for (var i = 0; i < 7; i++)
        {
            backoff.FoundNothing();
            waits.Add(backoff.Wait.TotalMilliseconds);
        }

        Assert.Equal([20, 40, 80, 160, 200, 200, 200], waits);
    }

    [Fact]
    public void A_read_is_due_once_the_wait_has_passed_within_half_a_poll_and_events_end_the_backoff()
    {
        var time = new FakeTimeProvider();
        var backoff = new IdlePollBackoff(Poll, Longest, time);
        time.Advance(IdlePollBackoff.QuietSpell);
        backoff.FoundNothing();
        backoff.FoundNothing();
        backoff.FoundNothing();

        // The wait is now 80 ms from the last empty read.
        time.Advance(TimeSpan.FromMilliseconds(60));
        Assert.False(backoff.IsDue());
        time.Advance(TimeSpan.FromMilliseconds(11));
        Assert.True(backoff.IsDue());

        backoff.FoundEvents();
        Assert.True(backoff.IsDue());
        backoff.FoundNothing();
        Assert.Equal(Poll, backoff.Wait);
    }

    [Fact]
    public void A_wake_up_makes_a_backed_off_partition_due_at_the_next_poll_once()
    {
        var time = new FakeTimeProvider();
        var backoff = new IdlePollBackoff(Poll, Longest, time);
        time.Advance(TimeSpan.FromSeconds(2));
        backoff.FoundNothing();
        Assert.False(backoff.Waiting);
        for (var i = 0; i < 4; i++)
        {
            backoff.FoundNothing();
        }

        Assert.Equal(Longest, backoff.Wait);
        Assert.True(backoff.Waiting);
        Assert.False(backoff.IsDue());

        backoff.Wake();
        Assert.True(backoff.IsDue());

        // The read found only what an earlier read had taken: the wake-up is spent and the wait holds again.
        backoff.FoundNothing();
        Assert.False(backoff.IsDue());

        // A wake-up that arrives while a read is under way is kept for the next poll.
        backoff.Wake();
        Assert.True(backoff.IsDue());
        backoff.Wake();
        backoff.FoundNothing();
        Assert.True(backoff.IsDue());
        Assert.False(backoff.IsDue());
    }

    [Fact]
    public void With_the_longest_wait_equal_to_the_poll_interval_every_poll_reads()
    {
        var time = new FakeTimeProvider();
        var backoff = new IdlePollBackoff(Poll, Poll, time);
        time.Advance(IdlePollBackoff.QuietSpell);
        for (var poll = 0; poll < 10; poll++)
        {
            Assert.True(backoff.IsDue());
            backoff.FoundNothing();
            time.Advance(Poll);
        }

        Assert.Equal(Poll, backoff.Wait);
    }

    [Fact]
    public void The_longest_wait_may_not_be_shorter_than_the_poll_interval()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new IdlePollBackoff(Poll, TimeSpan.FromMilliseconds(10), TimeProvider.System));
        Assert.Throws<ArgumentOutOfRangeException>(() => new IdlePollBackoff(TimeSpan.Zero, Longest, TimeProvider.System));
    }
}
