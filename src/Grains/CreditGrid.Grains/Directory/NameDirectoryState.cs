namespace CreditGrid.Grains.Directory;

/// <summary>The latest name of every subject in one directory shard, keyed by USCC.</summary>
[GenerateSerializer, Alias("creditgrid.name-directory-state.v1")]
public sealed class NameDirectoryState
{
    [Id(0)]
    public Dictionary<string, NameDirectoryEntry> Subjects { get; set; } = new(StringComparer.Ordinal);
}
