using CreditGrid.Domain.Events;
using CreditGrid.Domain.Reference;
using Orleans.Concurrency;

namespace CreditGrid.Grains.Directory;

/// <summary>
/// One shard of the subject-name directory: the names of the subjects registered under one city-level peer (or
/// the province itself), fed by subject grains whenever a name changes. The gateway fans a search out to every shard.
/// </summary>
[Alias("creditgrid.ISubjectNameDirectoryGrain")]
public interface ISubjectNameDirectoryGrain : IGrainWithStringKey
{
    /// <summary>A subject reports its latest name; the latest report per subject wins.</summary>
    [OneWay, Alias("Register")]
    Task RegisterAsync(NameDirectoryEntry entry);

    /// <summary>Subjects whose name contains <paramref name="fragment"/>, best matches first, at most <paramref name="limit"/>.</summary>
    [Alias("Search")]
    Task<IReadOnlyList<NameDirectoryEntry>> SearchAsync(string fragment, int limit);
}

/// <summary>A subject's name as the directory holds it.</summary>
[GenerateSerializer, Immutable, Alias("creditgrid.name-directory-entry.v1")]
public sealed record NameDirectoryEntry(
    [property: Id(0)] string SubjectId,
    [property: Id(1)] string Name,
    [property: Id(2)] SubjectType SubjectType,
    [property: Id(3)] string? DivisionCode);

/// <summary>How subjects are spread over directory shards: one per city-level peer, one for province-level registrations.</summary>
public static class NameDirectoryShards
{
    /// <summary>Shard of subjects registered at province level or outside Shaanxi's cities.</summary>
    public const string Province = "610000";

    /// <summary>Every shard key, so a search can reach all of them.</summary>
    public static IReadOnlyList<string> All { get; } = [.. AdministrativeDivisions.CityLevelPeers.Select(d => d.Code), Province];

    /// <summary>The shard of a subject whose city-level peer is <paramref name="cityLevelCode"/>.</summary>
    public static string For(string? cityLevelCode) => cityLevelCode ?? Province;
}
