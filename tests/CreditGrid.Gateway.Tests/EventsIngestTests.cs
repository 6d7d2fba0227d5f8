using System.Net;
using System.Text.Json.Nodes;

namespace CreditGrid.Gateway.Tests;

/// <summary><c>POST /api/v1/events</c> with well-formed batches, and what the read side shows afterwards.</summary>
[Collection(IngestCollection.Name)]
public sealed class EventsIngestTests(GatewayFactory factory)
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task ValidBatchOfSeveralKindsIsAcceptedRecordByRecordAndScored()
    {
        var enterprise = Records.NewEnterprise();
        var batch = Records.SeveralKinds(enterprise);

        var answer = await _client.SubmitAsync(batch);

        Assert.Equal((5, 0, 0), (answer.Accepted, answer.Duplicates, answer.Rejected));
        Assert.Equal(5, answer.Results.Count);
        for (var i = 0; i < 5; i++)
        {
            var result = answer.Results[i];
            Assert.Equal(i, result.Index);
            Assert.Equal("accepted", result.Status);
            Assert.Equal((string?)batch[i]!["recordId"], result.RecordId);
            Assert.Null(result.Reason);
        }

        // One subject, so the log numbers its records densely in submission order.
        Assert.Equal([1L, 2, 3, 4, 5], answer.Results.Select(r => r.SubjectSequence ?? 0));

        var view = await _client.EnterpriseEventuallyAsync(enterprise, v => v.LastAppliedSequence == 5);
        Assert.NotNull(view);
        Assert.Equal(5, view.LastAppliedSequence);
        Assert.Equal(enterprise, view.Uscc);
        Assert.Equal("Enterprise", view.SubjectType);
        Assert.InRange(view.Score, 0, 1000);
        Assert.Equal(view.Score / 10.0, view.Score100, 3);
        Assert.Contains(view.Grade, new[] { "A", "B", "C", "D" });
        Assert.Contains(view.Tier, new[] { "Low", "General", "RelativelyHigh", "High" });
        Assert.Equal(System.Text.Json.JsonValueKind.Object, view.Dimensions.ValueKind);
        Assert.True(view.Dimensions.TryGetProperty("lawCompliance", out _), view.Dimensions.GetRawText());
        Assert.True(view.Dimensions.TryGetProperty("contractPerformance", out _), view.Dimensions.GetRawText());
        Assert.NotEqual(default, view.AsOf);
        Assert.Equal("610103", view.DivisionCode);
    }

    [Fact]
    public async Task ResubmittedBatchIsAllDuplicatesAndChangesNothing()
    {
        var enterprise = Records.NewEnterprise();
        var batch = Records.SeveralKinds(enterprise);
        var first = await _client.SubmitAsync(batch);
        Assert.Equal(5, first.Accepted);
        await _client.EnterpriseEventuallyAsync(enterprise, v => v.LastAppliedSequence == 5);

        var again = await _client.SubmitAsync(batch);

        Assert.Equal((0, 5, 0), (again.Accepted, again.Duplicates, again.Rejected));
        Assert.All(again.Results, r =>
        {
            Assert.Equal("duplicate", r.Status);
            Assert.Equal("already_recorded", r.Reason);
        });

        // A duplicate reports the sequence the original got, so a retrying provider learns where its record went.
        Assert.Equal(first.Results.Select(r => r.SubjectSequence), again.Results.Select(r => r.SubjectSequence));

        // Give a wrongly re-appended record the time it would need to reach the grain before looking.
        await Task.Delay(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
        var (status, view) = await _client.GetAsync<SubjectAnswer>($"/api/v1/enterprises/{enterprise}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(5, view!.LastAppliedSequence);
    }

    [Fact]
    public async Task NdjsonBatchIsAcceptedAndBlankLinesAreIgnored()
    {
        var enterprise = Records.NewEnterprise();
        var records = Records.SeveralKinds(enterprise);
        var lines = new List<string> { "" };
        foreach (var record in records)
        {
            lines.Add(record!.ToJsonString());
            lines.Add("   \r");
        }

        lines.Add("");

        using var response = await _client.PostNdjsonAsync([.. lines]);
        var answer = await response.ReadBatchAsync();

        // Results are indexed by record, not by line, so blank lines do not shift them.
        Assert.Equal((5, 0, 0), (answer.Accepted, answer.Duplicates, answer.Rejected));
        Assert.Equal([0, 1, 2, 3, 4], answer.Results.Select(r => r.Index));
        Assert.Equal(records.Select(r => (string?)r!["recordId"]), answer.Results.Select(r => r.RecordId));
        await _client.EnterpriseEventuallyAsync(enterprise, v => v.LastAppliedSequence == 5);
    }

    [Fact]
    public async Task AStreamedNdjsonBatchLargerThanTheFirstReadBufferIsReadWhole()
    {
        // About 84 KB sent without Content-Length: the gateway's body buffer starts at 16 KB and grows while reading.
        var enterprise = Records.NewEnterprise();
        var records = Enumerable.Range(0, 300).Select(_ => Records.Licence(enterprise)).ToList();
        records[150]!["decisionDate"] = "2024-13-45";
        var body = System.Text.Encoding.UTF8.GetBytes(string.Join('\n', records.Select(r => r!.ToJsonString())));
        Assert.InRange(body.Length, 64 * 1024, 1024 * 1024);

        using var response = await _client.PostStreamedAsync(body, Api.Ndjson);
        var answer = await response.ReadBatchAsync();

        Assert.Equal((299, 0, 1), (answer.Accepted, answer.Duplicates, answer.Rejected));
        Assert.Equal(records.Select(r => (string?)r!["recordId"]), answer.Results.Select(r => r.RecordId));
        Assert.Equal(("decisionDate", "invalid_date"), (answer.Results[150].Field, answer.Results[150].Reason));
        await _client.EnterpriseEventuallyAsync(enterprise, v => v.LastAppliedSequence == 299);
    }

    [Fact]
    public async Task NdjsonWithCharsetParameterAndCrLfLineEndsIsAccepted()
    {
        var enterprise = Records.NewEnterprise();
        var body = string.Join("\r\n", Records.Licence(enterprise).ToJsonString(), Records.Reward(enterprise).ToJsonString()) + "\r\n";

        using var response = await _client.PostRawAsync(body, "application/x-ndjson; charset=utf-8");
        var answer = await response.ReadBatchAsync();

        Assert.Equal(2, answer.Accepted);
    }

    [Fact]
    public async Task SecondCopyWithinOneBatchIsDuplicateInBatch()
    {
        var enterprise = Records.NewEnterprise();
        var record = Records.Licence(enterprise);
        var other = Records.Reward(enterprise);

        var answer = await _client.SubmitAsync(new JsonArray(record.DeepClone(), other, record.DeepClone()));

        Assert.Equal((2, 1, 0), (answer.Accepted, answer.Duplicates, answer.Rejected));
        Assert.Equal("accepted", answer.Results[0].Status);
        Assert.Equal("accepted", answer.Results[1].Status);
        Assert.Equal("duplicate", answer.Results[2].Status);
        Assert.Equal("duplicate_in_batch", answer.Results[2].Reason);
        Assert.Equal((string?)record["recordId"], answer.Results[2].RecordId);
        await _client.EnterpriseEventuallyAsync(enterprise, v => v.LastAppliedSequence == 2);
        await Task.Delay(TimeSpan.FromMilliseconds(500), TestContext.Current.CancellationToken);
        var (_, view) = await _client.GetAsync<SubjectAnswer>($"/api/v1/enterprises/{enterprise}");
        Assert.Equal(2, view!.LastAppliedSequence);
    }

    [Fact]
    public async Task SameRecordIdFromAnotherDepartmentIsNotADuplicate()
    {
        var enterprise = Records.NewEnterprise();
        var record = Records.Licence(enterprise);
        var fromAnother = (JsonObject)record.DeepClone();
        fromAnother["sourceDepartment"] = Records.NewGovernmentBody("610100");

        var answer = await _client.SubmitAsync(new JsonArray(record, fromAnother));

        Assert.Equal(2, answer.Accepted);
    }

    [Fact]
    public async Task MixedBatchWritesOnlyTheGoodRecords()
    {
        var good = Records.NewEnterprise();
        var badSubjects = new[] { Records.NewEnterprise(), Records.NewEnterprise(), Records.NewEnterprise() };
        var negative = Records.Penalty(badSubjects[0]);
        negative["amount"] = -1;
        var future = Records.Licence(badSubjects[1]);
        future["decisionDate"] = Records.RecentDate(-3);
        var unknownType = Records.Licence(badSubjects[2]);
        unknownType["type"] = "credit.unknown-kind.v1";

        var answer = await _client.SubmitAsync(new JsonArray(
            Records.Licence(good), negative, Records.Penalty(good), future, unknownType, Records.Reward(good)));

        Assert.Equal((3, 0, 3), (answer.Accepted, answer.Duplicates, answer.Rejected));
        Assert.Equal(
            ["accepted", "rejected", "accepted", "rejected", "rejected", "accepted"],
            answer.Results.Select(r => r.Status));
        Assert.Equal([1L, 2, 3], answer.Results.Where(r => r.Status == "accepted").Select(r => r.SubjectSequence ?? 0));
        Assert.All(answer.Results.Where(r => r.Status == "rejected"), r => Assert.Null(r.SubjectSequence));
        Assert.Equal(("amount", "negative_amount"), (answer.Results[1].Field, answer.Results[1].Reason));
        Assert.Equal(("decisionDate", "date_in_future"), (answer.Results[3].Field, answer.Results[3].Reason));
        Assert.Equal(("type", "unknown_event_type"), (answer.Results[4].Field, answer.Results[4].Reason));

        var view = await _client.EnterpriseEventuallyAsync(good, v => v.LastAppliedSequence == 3);
        Assert.Equal(3, view?.LastAppliedSequence);

        // The good records have been delivered, so a rejected one would have been by now too.
        foreach (var subject in badSubjects)
        {
            using var response = await _client.GetAsync($"/api/v1/enterprises/{subject}", TestContext.Current.CancellationToken);
            await response.AssertProblemAsync(HttpStatusCode.NotFound, "uscc", "unknown_subject");
        }
    }

    [Fact]
    public async Task RejectedRecordCanBeResubmittedOnceCorrected()
    {
        var enterprise = Records.NewEnterprise();
        var record = Records.Penalty(enterprise);
        record["amount"] = "20000";
        var rejected = await _client.SubmitAsync(new JsonArray(record.DeepClone()));
        Assert.Equal(("rejected", "amount", "invalid_type"), (rejected.Results[0].Status, rejected.Results[0].Field, rejected.Results[0].Reason));

        // A rejection must not reserve the record id: the same id with the error fixed goes in.
        record["amount"] = 20000;
        var accepted = await _client.SubmitAsync(new JsonArray(record));

        Assert.Equal("accepted", accepted.Results[0].Status);
        Assert.Equal(1, accepted.Results[0].SubjectSequence);
    }

    [Fact]
    public async Task BatchOfExactlyTheLimitIsAnswered()
    {
        // Ten thousand records that fail validation: the boundary is exercised without writing to the log.
        var batch = "[" + string.Join(',', Enumerable.Repeat("{}", 10_000)) + "]";

        using var response = await _client.PostRawAsync(batch, "application/json");
        var answer = await response.ReadBatchAsync();

        Assert.Equal((0, 0, 10_000), (answer.Accepted, answer.Duplicates, answer.Rejected));
        Assert.All(answer.Results, r => Assert.Equal(("recordId", "required"), (r.Field, r.Reason)));
    }
}
