using System.Text.Json;
using System.Text.Json.Nodes;
using CreditGrid.Domain.Events;
using CreditGrid.Domain.Identifiers;
using CreditGrid.Domain.Ingest;

namespace CreditGrid.Domain.Tests.Ingest;

public class SubjectNameParsingTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 4, 0, 0, TimeSpan.Zero);

    private static RecordParseResult ParseWithName(JsonNode? name, bool omit = false)
    {
        var record = new JsonObject
        {
            ["recordId"] = "XA-AMR-2026-000124",
            ["subjectId"] = UsccGenerator.FromSerial(4243, '9', '1', "610103"),
            ["sourceDepartment"] = UsccGenerator.FromSerial(17, '1', '1', "610000"),
            ["type"] = EventTypes.PenaltyImposed,
            ["decisionDate"] = "2026-03-01",
            ["details"] = new JsonObject { ["penaltyTypes"] = new JsonArray("fine") },
        };
        if (!omit)
        {
            record["subjectName"] = name;
        }

        return CreditRecordParser.Parse(JsonSerializer.SerializeToElement(record), Now, TimeSpan.Zero);
    }

    [Fact]
    public void NameIsTrimmedOntoTheEnvelope()
    {
        var result = ParseWithName("  西安市秦川科技有限公司 \t");

        Assert.True(result.IsAccepted, result.Rejection?.Message);
        Assert.Equal("西安市秦川科技有限公司", result.Event!.SubjectName);
    }

    [Fact]
    public void AbsentNullOrBlankNameLeavesItUnknown()
    {
        Assert.Null(ParseWithName(null, omit: true).Event!.SubjectName);
        Assert.Null(ParseWithName(null).Event!.SubjectName);
        Assert.Null(ParseWithName("   ").Event!.SubjectName);
    }

    [Fact]
    public void NameOfTheLimitIsAcceptedEvenWithSurroundingSpaces()
    {
        var name = new string('名', CreditRecordParser.MaxSubjectNameLength);

        var result = ParseWithName("  " + name + "  ");

        Assert.True(result.IsAccepted, result.Rejection?.Message);
        Assert.Equal(name, result.Event!.SubjectName);
    }

    [Fact]
    public void NameOverTheLimitIsTooLong()
    {
        var result = ParseWithName(new string('名', CreditRecordParser.MaxSubjectNameLength + 1));

        Assert.Equal(new RecordRejection("subjectName", RejectionReasons.TooLong, result.Rejection!.Message), result.Rejection);
        Assert.Contains("201", result.Rejection.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NonStringNameIsInvalidType()
    {
        var result = ParseWithName(42);

        Assert.False(result.IsAccepted);
        Assert.Equal("subjectName", result.Rejection!.Field);
        Assert.Equal(RejectionReasons.InvalidType, result.Rejection.Reason);
    }

    [Fact]
    public void NameSurvivesTheLogFormat()
    {
        var accepted = ParseWithName("宝鸡市渭滨区嘉禾商贸店").Event!;

        var back = JsonSerializer.Deserialize<CreditEvent>(JsonSerializer.Serialize(accepted, CreditJson.Options), CreditJson.Options)!;

        Assert.Equal("宝鸡市渭滨区嘉禾商贸店", back.SubjectName);
    }
}
