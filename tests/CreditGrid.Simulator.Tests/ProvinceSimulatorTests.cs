using System.Text.Json;
using CreditGrid.Domain.Identifiers;
using CreditGrid.Domain.Ingest;

namespace CreditGrid.Simulator.Tests;

public class ProvinceSimulatorTests
{
    // A fixed clock keeps "today" and therefore every decision date stable across runs.
    private static readonly DateTimeOffset Now = new(2026, 6, 15, 4, 0, 0, TimeSpan.Zero);
    private static readonly ProvinceOptions Small = new() { Enterprises = 400, GovernmentBodies = 40, Seed = 7 };

    [Fact]
    public void SameSeedGivesTheSameProvinceAndRecords()
    {
        var first = new ProvinceSimulator(Small, Now);
        var second = new ProvinceSimulator(Small, Now);

        Assert.Equal(first.Subjects, second.Subjects);
        Assert.Equal(first.Departments, second.Departments);
        Assert.Equal(Lines(first), Lines(second));
        Assert.Equal(CreditRecordWriter.ToNdjsonLine(first.NextLiveEvent()), CreditRecordWriter.ToNdjsonLine(second.NextLiveEvent()));
    }

    [Fact]
    public void DifferentSeedGivesADifferentProvince()
    {
        var first = new ProvinceSimulator(Small, Now);
        var other = new ProvinceSimulator(Small with { Seed = 8 }, Now);

        Assert.NotEqual(first.Subjects.Select(s => s.Uscc), other.Subjects.Select(s => s.Uscc));
    }

    [Fact]
    public void EveryHistoryAndLiveRecordParsesBackToTheSameEvent()
    {
        var province = new ProvinceSimulator(Small, Now);
        var events = province.History().Concat(Enumerable.Range(0, 500).Select(_ => province.NextLiveEvent())).ToList();

        Assert.NotEmpty(events);
        foreach (var e in events)
        {
            var line = CreditRecordWriter.ToNdjsonLine(e);
            using var document = JsonDocument.Parse(line);
            var parsed = CreditRecordParser.Parse(document.RootElement, Now, TimeSpan.Zero);

            Assert.True(parsed.IsAccepted, $"{e.RecordId} rejected: {parsed.Rejection}");
            // Compared on the wire: details hold arrays, which record equality compares by reference.
            Assert.Equal(line, CreditRecordWriter.ToNdjsonLine(parsed.Event!));
        }
    }

    [Fact]
    public void RecordIdsAreUniquePerDepartment()
    {
        var province = new ProvinceSimulator(Small, Now);
        var keys = province.History().Concat(Enumerable.Range(0, 500).Select(_ => province.NextLiveEvent()))
            .Select(e => (e.SourceDepartment, e.RecordId))
            .ToList();

        Assert.Equal(keys.Count, keys.Distinct().Count());
    }

    [Fact]
    public void SubjectAndDepartmentCodesAreValidUsccs()
    {
        var province = new ProvinceSimulator(Small, Now);

        Assert.Equal(Small.Enterprises + Small.GovernmentBodies, province.Subjects.Count);
        Assert.Equal(province.Subjects.Count, province.Subjects.Select(s => s.Uscc).Distinct().Count());
        foreach (var subject in province.Subjects)
        {
            var check = Uscc.Validate(subject.Uscc);
            Assert.True(check.IsValid, $"{subject.Uscc}: {check.Message}");
            Assert.Equal(subject.SubjectType, check.SubjectType);
        }

        Assert.All(province.Departments, d => Assert.True(Uscc.Validate(d.Uscc).IsValid, d.Uscc));
    }

    private static List<string> Lines(ProvinceSimulator province) => [.. province.History().Select(CreditRecordWriter.ToNdjsonLine)];
}
