using CreditGrid.Grains.Hosting;
using CreditGrid.Grains.Persistence;
using Orleans.Storage;

namespace CreditGrid.Grains.Tests.Persistence;

/// <summary>The single-process grain storage: copies in and out, and the ETag contract of Orleans' providers.</summary>
public sealed class InProcessGrainStorageTests
{
    private static readonly GrainId Subject = GrainId.Create("enterprise", "91610103MA6TGXU531");

    private readonly InProcessGrainStorage _storage = new(new JsonGrainStateSerializer());

    [Fact]
    public async Task A_written_state_is_read_back_as_a_copy_that_later_changes_do_not_reach()
    {
        var written = new GrainState<List<string>>(["a"]);
        await _storage.WriteStateAsync("evaluation", Subject, written);
        written.State!.Add("changed after the write");

        var read = new GrainState<List<string>>([]);
        await _storage.ReadStateAsync("evaluation", Subject, read);

        Assert.True(read.RecordExists);
        Assert.Equal(["a"], read.State);
        Assert.Equal(written.ETag, read.ETag);
        Assert.NotSame(written.State, read.State);
    }

    [Fact]
    public async Task Nothing_stored_reads_as_no_record_and_states_of_other_names_or_grains_are_apart()
    {
        await _storage.WriteStateAsync("evaluation", Subject, new GrainState<string>("kept"));

        var otherName = new GrainState<string>("default");
        await _storage.ReadStateAsync("other", Subject, otherName);
        var otherGrain = new GrainState<string>("default");
        await _storage.ReadStateAsync("evaluation", GrainId.Create("government-body", "11610000MAH10K732H"), otherGrain);

        Assert.False(otherName.RecordExists);
        Assert.Null(otherName.ETag);
        Assert.Equal("default", otherName.State);
        Assert.False(otherGrain.RecordExists);
    }

    [Fact]
    public async Task A_write_with_a_stale_ETag_is_refused_and_leaves_the_stored_state()
    {
        var (first, stale) = await WrittenTwiceAsync(staleValue: "stale");

        await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.WriteStateAsync("evaluation", Subject, stale));
        await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.WriteStateAsync("evaluation", Subject, new GrainState<string>("no ETag")));

        var read = new GrainState<string>("");
        await _storage.ReadStateAsync("evaluation", Subject, read);
        Assert.Equal("one", read.State);
        Assert.Equal(first.ETag, read.ETag);
    }

    [Fact]
    public async Task A_clear_with_the_current_ETag_removes_the_state_and_one_with_a_stale_ETag_is_refused()
    {
        var (state, stale) = await WrittenTwiceAsync(staleValue: "one");

        await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.ClearStateAsync("evaluation", Subject, stale));
        await _storage.ClearStateAsync("evaluation", Subject, state);

        Assert.False(state.RecordExists);
        Assert.Null(state.ETag);
        var read = new GrainState<string>("default");
        await _storage.ReadStateAsync("evaluation", Subject, read);
        Assert.False(read.RecordExists);

        // After a clear the state is written anew, as by a grain that never had one.
        await _storage.WriteStateAsync("evaluation", Subject, new GrainState<string>("again"));
        await _storage.ReadStateAsync("evaluation", Subject, read);
        Assert.Equal("again", read.State);
    }

    /// <summary>
    /// Writes "one" twice through the same state, and returns it with a copy holding the ETag of the first write: a
    /// caller that read before the second write.
    /// </summary>
    private async Task<(GrainState<string> Current, GrainState<string> Stale)> WrittenTwiceAsync(string staleValue)
    {
        var current = new GrainState<string>("one");
        await _storage.WriteStateAsync("evaluation", Subject, current);
        var stale = new GrainState<string>(staleValue) { ETag = current.ETag };
        await _storage.WriteStateAsync("evaluation", Subject, current);
        return (current, stale);
    }
}
