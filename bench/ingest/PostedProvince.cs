using CreditGrid.Domain.Events;
using CreditGrid.Simulator;

namespace CreditGrid.Bench.Ingest;

/// <summary>
/// A simulated province cut into the batches a benchmark posts, serialised up front (the client's JSON writing is
/// not part of what the grid is measured on), with each subject's kind for the read-back.
/// </summary>
public sealed record PostedProvince(int Subjects, CreditEvent[][] Batches, byte[][] Bodies, IReadOnlyDictionary<string, SubjectType> Types)
{
    public long Records => Batches.Sum(b => (long)b.Length);

    public int SubjectsWithRecords => Batches.SelectMany(b => b).Select(e => e.SubjectId).Distinct(StringComparer.Ordinal).Count();

    public static PostedProvince Generate(int enterprises, int governmentBodies, int seed, int batchSize)
    {
        var province = new ProvinceSimulator(new ProvinceOptions { Enterprises = enterprises, GovernmentBodies = governmentBodies, Seed = seed }, DateTimeOffset.UtcNow);
        var batches = province.History().Chunk(batchSize).ToArray();
        return new PostedProvince(
            province.Subjects.Count,
            batches,
            [.. batches.Select(IngestBenchmark.Ndjson)],
            province.Subjects.ToDictionary(s => s.Uscc, s => s.SubjectType, StringComparer.Ordinal));
    }
}
