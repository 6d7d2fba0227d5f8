using CreditGrid.Storage;

namespace CreditGrid.Grains.Tests.Streaming;

public sealed class CreditLogWakeupsTests
{
    [Fact]
    public void An_append_wakes_the_readers_of_its_partition_only_until_they_unregister()
    {
        var wakeups = new CreditLogWakeups();
        var woken = new List<string>();
        var first = wakeups.Register(3, () => woken.Add("3a"));
        using var second = wakeups.Register(3, () => woken.Add("3b"));
        using var other = wakeups.Register(5, () => woken.Add("5"));

        wakeups.Appended(3);
        Assert.Equal(["3a", "3b"], woken);

        woken.Clear();
        first.Dispose();
        first.Dispose();
        wakeups.Appended(3);
        wakeups.Appended(4);
        Assert.Equal(["3b"], woken);
    }

    [Fact]
    public void Appends_that_may_have_gone_unannounced_wake_every_reader()
    {
        var wakeups = new CreditLogWakeups();
        var woken = new List<int>();
        using var a = wakeups.Register(0, () => woken.Add(0));
        using var b = wakeups.Register(7, () => woken.Add(7));

        wakeups.AppendedAnywhere();

        Assert.Equal([0, 7], woken.Order());
    }

    [Fact]
    public void The_same_wake_up_registered_twice_is_removed_once_per_registration()
    {
        var wakeups = new CreditLogWakeups();
        var count = 0;
        Action wake = () => count++;
        var first = wakeups.Register(1, wake);
        using var second = wakeups.Register(1, wake);

        first.Dispose();
        wakeups.Appended(1);

        Assert.Equal(1, count);
    }
}
