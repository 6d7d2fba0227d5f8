using System.Text.Json.Nodes;
using CreditGrid.Domain.Identifiers;

namespace CreditGrid.Gateway.Tests;

/// <summary>Records refused one by one: the batch is answered 202 and each refusal names its field and reason.</summary>
[Collection(QueryCollection.Name)]
public sealed class RecordRejectionTests(GatewayFactory factory)
{
    private const string Absent = "<absent>";

    private readonly HttpClient _client = factory.CreateClient();

    [Theory]
    [InlineData("recordId", "42", "recordId", "invalid_type")]
    [InlineData("recordId", "\"  \"", "recordId", "required")]
    [InlineData("subjectId", "91610103", "subjectId", "invalid_type")]
    [InlineData("sourceDepartment", "[\"11610000\"]", "sourceDepartment", "invalid_type")]
    [InlineData("type", "true", "type", "invalid_type")]
    [InlineData("decisionDate", "20260301", "decisionDate", "invalid_type")]
    [InlineData("decisionDate", "\"01/03/2026\"", "decisionDate", "invalid_date")]
    [InlineData("publicityClass", "2", "publicityClass", "invalid_type")]
    [InlineData("publicityClass", "\"severe\"", "publicityClass", "invalid_value")]
    [InlineData("jurisdiction", "610103", "jurisdiction", "invalid_type")]
    [InlineData("effectiveFrom", "{}", "effectiveFrom", "invalid_type")]
    [InlineData("legalBasis", "1", "legalBasis", "invalid_type")]
    [InlineData("details", "\"fine\"", "details", "invalid_type")]
    [InlineData("details", "[]", "details", "invalid_type")]
    public async Task WrongTypesAreRejected(string member, string json, string field, string reason) =>
        await AssertRejectedAsync(member, json, field, reason);

    [Theory]
    [InlineData("recordId")]
    [InlineData("subjectId")]
    [InlineData("sourceDepartment")]
    [InlineData("type")]
    [InlineData("decisionDate")]
    [InlineData("details")]
    public async Task MissingRequiredFieldsAreRejected(string member)
    {
        await AssertRejectedAsync(member, Absent, member, "required");
        await AssertRejectedAsync(member, "null", member, "required");
    }

    [Fact]
    public async Task UnknownEventTypeIsRejected() =>
        await AssertRejectedAsync("type", "\"credit.penalty-imposed.v9\"", "type", "unknown_event_type");

    [Theory]
    [InlineData("WRONG_FORMAT")]
    [InlineData("WRONG_AUTHORITY")]
    [InlineData("WRONG_REGION")]
    [InlineData("WRONG_ORGCODE_CHECK")]
    [InlineData("WRONG_CHECK")]
    public async Task EachCodeFailureIsTheReasonOnSubjectId(string failure)
    {
        var code = BadCodes.For(failure);
        Assert.Equal(failure, Uscc.Validate(code).Failure?.Code());

        await AssertRejectedAsync("subjectId", JsonValue.Create(code).ToJsonString(), "subjectId", failure);
    }

    [Theory]
    [InlineData("WRONG_FORMAT")]
    [InlineData("WRONG_AUTHORITY")]
    [InlineData("WRONG_REGION")]
    [InlineData("WRONG_ORGCODE_CHECK")]
    [InlineData("WRONG_CHECK")]
    public async Task EachCodeFailureIsTheReasonOnSourceDepartment(string failure)
    {
        var code = BadCodes.For(failure);
        Assert.Equal(failure, Uscc.Validate(code).Failure?.Code());

        await AssertRejectedAsync("sourceDepartment", JsonValue.Create(code).ToJsonString(), "sourceDepartment", failure);
    }

    [Fact]
    public async Task ShortCodeIsWrongFormat() =>
        await AssertRejectedAsync("subjectId", "\"91610103MA6U1AAA1\"", "subjectId", "WRONG_FORMAT");

    [Fact]
    public async Task DecisionDateInTheFutureIsRejected() =>
        await AssertRejectedAsync("decisionDate", JsonValue.Create(Records.RecentDate(-2)).ToJsonString(), "decisionDate", "date_in_future");

    [Theory]
    [InlineData("1949-09-30")]
    [InlineData("1900-01-01")]
    public async Task DecisionDateBefore1949IsRejected(string date) =>
        await AssertRejectedAsync("decisionDate", $"\"{date}\"", "decisionDate", "date_before_1949");

    [Fact]
    public async Task FoundingDayIsTheEarliestDecisionDate()
    {
        var record = Records.Licence(Records.NewEnterprise());
        record["decisionDate"] = "1949-10-01";

        var answer = await _client.SubmitAsync(new JsonArray(record));

        Assert.Equal("accepted", answer.Results.Single().Status);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("-0.01")]
    public async Task NegativeAmountIsRejected(string amount) =>
        await AssertRejectedAsync("amount", amount, "amount", "negative_amount");

    [Theory]
    [InlineData("\"20000\"")]
    [InlineData("\"二万元\"")]
    [InlineData("true")]
    [InlineData("{\"value\": 1}")]
    [InlineData("1e400")]
    public async Task NonNumericAmountIsRejected(string amount) =>
        await AssertRejectedAsync("amount", amount, "amount", "invalid_type");

    [Theory]
    [InlineData("619999")]
    [InlineData("110101")]
    [InlineData("xi'an")]
    public async Task UnknownJurisdictionIsRejected(string code) =>
        await AssertRejectedAsync("jurisdiction", JsonValue.Create(code).ToJsonString(), "jurisdiction", "unknown_division");

    [Theory]
    [InlineData("{}", "details.penaltyTypes")]
    [InlineData("{\"penaltyTypes\": [\"flogging\"]}", "details.penaltyTypes[0]")]
    [InlineData("{\"penaltyTypes\": [\"fine\", 3]}", "details.penaltyTypes[1]")]
    [InlineData("{\"penaltyTypes\": \"fine\"}", "details.penaltyTypes")]
    [InlineData("{\"penaltyTypes\": null}", "details.penaltyTypes")]
    public async Task InvalidDetailsAreRejectedAtTheirPath(string details, string field) =>
        await AssertRejectedAsync("details", details, field, "invalid_details");

    [Fact]
    public async Task EffectiveToBeforeEffectiveFromIsRejected()
    {
        var record = Records.Penalty(Records.NewEnterprise());
        record["effectiveFrom"] = "2025-06-01";
        record["effectiveTo"] = "2025-05-31";

        var result = await RejectOneAsync(record);

        Assert.Equal(("effectiveTo", "invalid_range"), (result.Field, result.Reason));
    }

    [Fact]
    public async Task OverlongRecordIdIsRejected() =>
        await AssertRejectedAsync("recordId", JsonValue.Create(new string('r', 129)).ToJsonString(), "recordId", "too_long");

    [Theory]
    [InlineData("1")]
    [InlineData("\"record\"")]
    [InlineData("null")]
    [InlineData("[]")]
    public async Task ElementThatIsNotAnObjectIsRejected(string element)
    {
        using var response = await _client.PostRawAsync($"[{element}]", "application/json");
        var answer = await response.ReadBatchAsync();

        var result = answer.Results.Single();
        Assert.Equal(("rejected", "$", "not_an_object"), (result.Status, result.Field, result.Reason));
        Assert.Null(result.RecordId);
    }

    [Fact]
    public async Task RejectionsCarryTheRecordIdAndAMessage()
    {
        var record = Records.Penalty(Records.NewEnterprise());
        record["amount"] = -5;

        var result = await RejectOneAsync(record);

        Assert.Equal((string?)record["recordId"], result.RecordId);
        Assert.False(string.IsNullOrWhiteSpace(result.Message));
        Api.AssertNoStackTrace(result.Message!);
    }

    [Fact]
    public async Task RecordRejectedForOneFieldNeverAppears()
    {
        var subject = Records.NewEnterprise();
        var record = Records.Penalty(subject);
        record["jurisdiction"] = "619999";
        await RejectOneAsync(record);

        // Later valid records about other subjects have been delivered by the time this one would have been.
        var witness = Records.NewEnterprise();
        await _client.SubmitAsync(new JsonArray(Records.Licence(witness)));
        await _client.EnterpriseEventuallyAsync(witness, v => v.LastAppliedSequence == 1);

        using var response = await _client.GetAsync($"/api/v1/enterprises/{subject}", TestContext.Current.CancellationToken);
        await response.AssertProblemAsync(System.Net.HttpStatusCode.NotFound, "uscc", "unknown_subject");
    }

    /// <summary>Sets <paramref name="member"/> of a valid penalty record to <paramref name="json"/> (or removes it) and expects one rejection.</summary>
    private async Task AssertRejectedAsync(string member, string json, string field, string reason)
    {
        var record = Records.Penalty(Records.NewEnterprise());
        if (json == Absent)
        {
            record.Remove(member);
        }
        else
        {
            record[member] = JsonNode.Parse(json);
        }

        var result = await RejectOneAsync(record);

        Assert.True((field, reason) == (result.Field, result.Reason), $"Expected {field}/{reason}, got {result.Field}/{result.Reason}: {result.Message}");
    }

    private async Task<RecordAnswer> RejectOneAsync(JsonObject record)
    {
        var answer = await _client.SubmitAsync(new JsonArray(record));
        Assert.Equal((0, 0, 1), (answer.Accepted, answer.Duplicates, answer.Rejected));
        var result = answer.Results.Single();
        Assert.Equal("rejected", result.Status);
        Assert.Null(result.SubjectSequence);
        return result;
    }
}
