using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CreditGrid.Gateway.PreCredit;
using CreditGrid.Gateway.Security;
using CreditGrid.Models.Training.Training;
using CreditGrid.Simulator.PreCredit;
using CreditGrid.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CreditGrid.Gateway.Tests.PreCredit;

/// <summary><c>POST /api/v1/precredit</c>, consent, the decision audit, outcomes, figures, drift and model reload.</summary>
[Collection(PreCreditCollection.Name)]
public sealed class PreCreditApiTests(PreCreditGatewayFactory factory)
{
    private readonly HttpClient _client = factory.CreateClient();

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AnAuthorisedBankGetsADecisionThatIsStoredAndFetchedById()
    {
        var (bank, enterprise) = await HealthyEnterpriseAsync();
        await GrantAsync(enterprise, bank);

        var decision = await DecideOkAsync(bank, enterprise, 500_000m);

        Assert.Equal("APPROVE_INDICATIVE", decision.GetProperty("decision").GetString());
        Assert.True(decision.GetProperty("limit").GetDecimal() > 0m);
        Assert.InRange(decision.GetProperty("pd").GetDouble(), 0, 0.06);
        Assert.Equal("LPR", decision.GetProperty("rateBand").GetProperty("basis").GetString());
        Assert.Empty(decision.GetProperty("reasons").EnumerateArray());
        Assert.InRange(decision.GetProperty("topReasons").GetArrayLength() + decision.GetProperty("positiveFactors").GetArrayLength(), 1, 6);
        Assert.InRange(decision.GetProperty("positiveFactors").GetArrayLength(), 1, 3);
        Assert.Equal(12, decision.GetProperty("features").GetProperty("utility_months_12").GetInt32());
        Assert.Equal(
            (decision.GetProperty("decidedAt").GetDateTimeOffset() + TimeSpan.FromDays(30)).ToUnixTimeSeconds(),
            decision.GetProperty("expiresAt").GetDateTimeOffset().ToUnixTimeSeconds());
        Assert.StartsWith("precredit-default-", decision.GetProperty("challenger").GetProperty("modelVersion").GetString());

        var id = decision.GetProperty("id").GetString();
        var (status, stored) = await _client.GetAsync<JsonElement>($"/api/v1/precredit/{id}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(decision.GetProperty("modelVersion").GetString(), stored.GetProperty("modelVersion").GetString());
        Assert.Equal(decision.GetProperty("pd").GetDouble(), stored.GetProperty("pd").GetDouble());
        Assert.Equal(decision.GetProperty("features").GetRawText(), stored.GetProperty("features").GetRawText());
        Assert.Equal("precredit-policy-v1", stored.GetProperty("policyVersion").GetString());
        Assert.False(string.IsNullOrEmpty(stored.GetProperty("scoringRulesVersion").GetString()));
    }

    /// <summary>The dashboard reads decisions and model latency from the scrape; they must be on the exported meter.</summary>
    [Fact]
    public async Task DecisionsAndModelLatencyReachTheMetricsScrape()
    {
        var (bank, enterprise) = await HealthyEnterpriseAsync();
        await GrantAsync(enterprise, bank);
        await DecideOkAsync(bank, enterprise, 300_000m);

        var scrape = await _client.GetStringAsync("/metrics", Cancellation);

        Assert.Contains("creditgrid_precredit_decisions_total{", scrape, StringComparison.Ordinal);
        Assert.Contains("creditgrid_precredit_model_duration_seconds_bucket{", scrape, StringComparison.Ordinal);
        Assert.Contains("creditgrid_precredit_decision_duration_milliseconds_bucket", scrape, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AListedEnterpriseIsRejectedWithR01()
    {
        var (bank, enterprise) = await HealthyEnterpriseAsync(PreCreditRecords.SeriousListing);
        await GrantAsync(enterprise, bank);

        var decision = await DecideOkAsync(bank, enterprise, 100_000m);

        Assert.Equal("REJECT", decision.GetProperty("decision").GetString());
        Assert.Contains(decision.GetProperty("reasons").EnumerateArray(), r => r.GetProperty("code").GetString() == "R01");
        Assert.Equal(0m, decision.GetProperty("limit").GetDecimal());
    }

    /// <summary>
    /// The decision is serialised once, by the desk, for the store and the answer alike: the answer is byte for byte
    /// what the gateway writes for the stored decision read back (same shape, same relaxed escaping of the Chinese
    /// reason texts and of the offsets' '+').
    /// </summary>
    [Fact]
    public async Task TheAnswerIsTheStoredDecisionByteForByte()
    {
        var (bank, enterprise) = await HealthyEnterpriseAsync(PreCreditRecords.SeriousListing);
        await GrantAsync(enterprise, bank);

        using var response = await DecideAsync(bank, enterprise, 100_000m);
        var answered = await response.Content.ReadAsStringAsync(Cancellation);
        var id = JsonDocument.Parse(answered).RootElement.GetProperty("id").GetString();
        var stored = await _client.GetStringAsync($"/api/v1/precredit/{id}", Cancellation);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Contains("严重失信主体名单", answered, StringComparison.Ordinal);
        Assert.Equal(stored, answered);
    }

    [Fact]
    public async Task WithoutALiveAuthorisationTheBankIsRefused()
    {
        var (bank, enterprise) = await HealthyEnterpriseAsync();
        using (var before = await DecideAsync(bank, enterprise, 100_000m))
        {
            await before.AssertProblemAsync(HttpStatusCode.Forbidden, "bank", "no_authorisation");
        }

        await GrantAsync(enterprise, bank);
        using (var granted = await DecideAsync(bank, enterprise, 100_000m))
        {
            Assert.Equal(HttpStatusCode.OK, granted.StatusCode);
        }

        using (var revoke = await _client.DeleteAsync($"/api/v1/enterprises/{enterprise}/authorisations/{bank}", Cancellation))
        {
            Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        }

        using var after = await DecideAsync(bank, enterprise, 100_000m);
        await after.AssertProblemAsync(HttpStatusCode.Forbidden, "bank", "no_authorisation");
        var (_, list) = await _client.GetAsync<JsonElement>($"/api/v1/enterprises/{enterprise}/authorisations");
        Assert.Equal("revoked", list[0].GetProperty("status").GetString());
    }

    [Fact]
    public async Task AnEnterpriseTheGridHasNoRecordOfIs404()
    {
        var bank = PreCreditRecords.NewCode();
        var enterprise = PreCreditRecords.NewCode();
        await GrantAsync(enterprise, bank);

        using var response = await DecideAsync(bank, enterprise, 100_000m);

        await response.AssertProblemAsync(HttpStatusCode.NotFound, "enterprise", "unknown_subject");
    }

    public static TheoryData<string, string, string> BadRequests => new()
    {
        { """{"bank":"91610113MA6TXXXX0X","enterprise":"91610113MA6TXXXX0X","amount":1,"purpose":"x"}""", "bank", "" },
        { """{"enterprise":"E","amount":1,"purpose":"x"}""", "bank", "required" },
        { """{"bank":"B","amount":1,"purpose":"x"}""", "enterprise", "required" },
        { """{"bank":"B","enterprise":"E","purpose":"x"}""", "amount", "required" },
        { """{"bank":"B","enterprise":"E","amount":0,"purpose":"x"}""", "amount", "not_positive" },
        { """{"bank":"B","enterprise":"E","amount":-5,"purpose":"x"}""", "amount", "not_positive" },
        { """{"bank":"B","enterprise":"E","amount":"ten","purpose":"x"}""", "amount", "invalid_type" },
        { """{"bank":"B","enterprise":"E","amount":1}""", "purpose", "required" },
        { """{"bank":"B","enterprise":"E","amount":1,"purpose":"  "}""", "purpose", "required" },
        { """{"bank":"B","enterprise":"E","amount":1,"purpose":"x""", "body", "malformed_json" },
        { """[1,2]""", "body", "not_an_object" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task BadInputIs400NamingTheField(string template, string field, string reason)
    {
        var body = template.Replace("\"B\"", $"\"{PreCreditRecords.NewCode()}\"", StringComparison.Ordinal)
            .Replace("\"E\"", $"\"{PreCreditRecords.NewCode()}\"", StringComparison.Ordinal);
        using var response = await _client.PostAsync("/api/v1/precredit", new StringContent(body, Encoding.UTF8, "application/json"), Cancellation);

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, field, reason.Length == 0 ? null : reason);
    }

    [Fact]
    public async Task DecisionIdsAreValidated()
    {
        using (var invalid = await _client.GetAsync("/api/v1/precredit/not-a-guid", Cancellation))
        {
            await invalid.AssertProblemAsync(HttpStatusCode.BadRequest, "id", "invalid_id");
        }

        using (var unknown = await _client.GetAsync($"/api/v1/precredit/{Guid.NewGuid()}", Cancellation))
        {
            await unknown.AssertProblemAsync(HttpStatusCode.NotFound, "id", "unknown_decision");
        }

        using var outcome = await _client.PostAsJsonAsync($"/api/v1/precredit/{Guid.NewGuid()}/outcomes", new { status = "repaid" }, Cancellation);
        await outcome.AssertProblemAsync(HttpStatusCode.NotFound, "id", "unknown_decision");
    }

    [Fact]
    public async Task OutcomesFeedTheFiguresAndTheNextTrainingSet()
    {
        var (bank, enterprise) = await HealthyEnterpriseAsync();
        await GrantAsync(enterprise, bank);
        var id = (await DecideOkAsync(bank, enterprise, 300_000m)).GetProperty("id").GetString();
        var (_, before) = await _client.GetAsync<JsonElement>("/api/v1/precredit/figures");

        using (var noAmount = await _client.PostAsJsonAsync($"/api/v1/precredit/{id}/outcomes", new { status = "granted" }, Cancellation))
        {
            await noAmount.AssertProblemAsync(HttpStatusCode.BadRequest, "amount", "required");
        }

        using (var badStatus = await _client.PostAsJsonAsync($"/api/v1/precredit/{id}/outcomes", new { status = "paid" }, Cancellation))
        {
            await badStatus.AssertProblemAsync(HttpStatusCode.BadRequest, "status", "invalid_value");
        }

        using (var granted = await _client.PostAsJsonAsync($"/api/v1/precredit/{id}/outcomes", new { status = "granted", amount = 250_000m }, Cancellation))
        {
            Assert.Equal(HttpStatusCode.Created, granted.StatusCode);
        }

        var (_, after) = await _client.GetAsync<JsonElement>("/api/v1/precredit/figures");
        Assert.Equal(before.GetProperty("loansGranted").GetInt64() + 1, after.GetProperty("loansGranted").GetInt64());
        Assert.Equal(before.GetProperty("amountGranted").GetDecimal() + 250_000m, after.GetProperty("amountGranted").GetDecimal());
        Assert.True(after.GetProperty("registeredEnterprises").GetInt64() >= 1);
        Assert.Equal(150_000, after.GetProperty("targetEnterprises").GetInt64());
        Assert.Equal(70_000_000_000m, after.GetProperty("targetAmount").GetDecimal());

        using (var defaulted = await _client.PostAsJsonAsync($"/api/v1/precredit/{id}/outcomes", new { status = "defaulted" }, Cancellation))
        {
            Assert.Equal(HttpStatusCode.Created, defaulted.StatusCode);
        }

        var csv = await _client.GetStringAsync("/api/v1/precredit/training-set", Cancellation);
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("decision_id,composite_score,", lines[0], StringComparison.Ordinal);
        var row = Assert.Single(lines, l => l.StartsWith(id!, StringComparison.Ordinal));
        Assert.EndsWith(",1", row, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OnlyTheDecidingBankReportsTheOutcome()
    {
        var (bank, enterprise) = await HealthyEnterpriseAsync();
        await GrantAsync(enterprise, bank);
        var id = (await DecideOkAsync(bank, enterprise, 200_000m)).GetProperty("id").GetString();
        using var otherBank = BankClient(PreCreditRecords.NewCode());
        using var decidingBank = BankClient(bank);

        using (var foreign = await otherBank.PostAsJsonAsync($"/api/v1/precredit/{id}/outcomes", new { status = "defaulted" }, Cancellation))
        {
            await foreign.AssertProblemAsync(HttpStatusCode.Forbidden, "bank", "not_your_bank");
        }

        using (var own = await decidingBank.PostAsJsonAsync($"/api/v1/precredit/{id}/outcomes", new { status = "granted", amount = 150_000m }, Cancellation))
        {
            Assert.Equal(HttpStatusCode.Created, own.StatusCode);
        }

        // The admin client acts for any bank, as it may for the decision itself.
        using (var admin = await _client.PostAsJsonAsync($"/api/v1/precredit/{id}/outcomes", new { status = "repaid" }, Cancellation))
        {
            Assert.Equal(HttpStatusCode.Created, admin.StatusCode);
        }

        var csv = await _client.GetStringAsync("/api/v1/precredit/training-set", Cancellation);
        var row = Assert.Single(csv.Split('\n'), l => l.StartsWith(id!, StringComparison.Ordinal));
        Assert.EndsWith(",0", row, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DriftIsReportedForEveryModelFeature()
    {
        var (bank, enterprise) = await HealthyEnterpriseAsync();
        await GrantAsync(enterprise, bank);
        await DecideOkAsync(bank, enterprise, 100_000m);

        var (status, drift) = await _client.GetAsync<JsonElement>("/api/v1/precredit/drift");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(drift.GetProperty("decisions").GetInt64() >= 1);
        var features = drift.GetProperty("features").EnumerateArray().ToList();
        Assert.Equal(16, features.Count);
        Assert.All(features, f => Assert.True(f.GetProperty("psi").GetDouble() >= 0));

        // A handful of identical healthy profiles is far from the training population.
        Assert.Contains(features, f => f.GetProperty("psi").GetDouble() > 0.25);
    }

    [Fact]
    public async Task ANewModelFileIsPickedUpWithoutRestart()
    {
        var (bank, enterprise) = await HealthyEnterpriseAsync();
        await GrantAsync(enterprise, bank);
        var first = (await DecideOkAsync(bank, enterprise, 100_000m)).GetProperty("modelVersion").GetString();

        var data = Path.Combine(factory.ModelDirectory, "small.csv");
        await using (var writer = new StreamWriter(data))
        {
            await TrainingSetWriter.WriteAsync(writer, 3000, seed: 5, DateTimeOffset.UtcNow, Cancellation);
        }

        var settings = TrainerSettings.Presets["baseline"] with { Trees = 20, Imbalance = ImbalanceHandling.None };
        var trained = TrainingRun.Execute(
            new TrainRequest(data, TrainingSetWriter.Label, TrainingSetWriter.IdColumn, 2, 1, Path.Combine(factory.ModelDirectory, "out"), settings, null)
            { Ignore = [TrainingSetWriter.TruePdColumn] },
            _ => { });
        File.Copy(trained.ModelPath, factory.ChampionPath + ".tmp", overwrite: true);
        File.Move(factory.ChampionPath + ".tmp", factory.ChampionPath, overwrite: true);

        var second = await Eventually.Until(
            async () => (await DecideOkAsync(bank, enterprise, 100_000m)).GetProperty("modelVersion").GetString(),
            v => v != first);
        Assert.NotEqual(first, second);
        Assert.StartsWith("champion-", second);
    }

    private HttpClient BankClient(string bank)
    {
        var client = factory.CreateClient();
        var token = factory.Services.GetRequiredService<GatewayTokenIssuer>().Issue(new TokenRequest($"test-bank-{bank}", [Roles.Bank], bank, TimeSpan.FromHours(1))).Token;
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>
    /// With every admission permit taken, a decision waits rather than runs, and is served once a permit frees; with
    /// the queue full as well, the next is refused at once with 503, Retry-After and the reason.
    /// </summary>
    [Fact]
    public async Task DecisionsWaitForAdmissionAndAFullQueueIsRefusedWith503()
    {
        var (bank, enterprise) = await HealthyEnterpriseAsync();
        await GrantAsync(enterprise, bank);
        var admission = factory.Services.GetRequiredService<DecisionAdmission>();
        var held = admission.Limiter.AttemptAcquire(admission.Settings.MaxConcurrent);
        Assert.True(held.IsAcquired);
        var released = false;
        try
        {
            var waiting = DecideAsync(bank, enterprise, 200_000m);
            await Task.Delay(TimeSpan.FromMilliseconds(300), Cancellation);
            Assert.False(waiting.IsCompleted, "a decision ran although every permit was held");

            // Fill the rest of the queue, so that one more decision finds no room.
            using var queueFillers = new CancellationTokenSource();
            var fillers = Enumerable.Range(0, admission.Settings.QueueLimit - 1)
                .Select(_ => admission.Limiter.AcquireAsync(1, queueFillers.Token).AsTask())
                .ToList();
            using (var refused = await DecideAsync(bank, enterprise, 200_000m))
            {
                await refused.AssertProblemAsync(HttpStatusCode.ServiceUnavailable, null, DecisionAdmission.RejectionReason);
                Assert.Equal(TimeSpan.FromSeconds(1), refused.Headers.RetryAfter?.Delta);
            }

            await queueFillers.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Task.WhenAll(fillers));
            held.Dispose();
            released = true;

            using var served = await waiting;
            Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        }
        finally
        {
            if (!released)
            {
                held.Dispose();
            }
        }
    }

    private async Task<(string Bank, string Enterprise)> HealthyEnterpriseAsync(Func<string, JsonNode>? extra = null)
    {
        var enterprise = PreCreditRecords.NewCode();
        var batch = PreCreditRecords.Healthy(enterprise);
        if (extra is not null)
        {
            batch.Add(extra(enterprise));
        }

        var answer = await _client.SubmitAsync(batch);
        Assert.Equal(batch.Count, answer.Accepted);
        await _client.EnterpriseEventuallyAsync(enterprise, e => e.LastAppliedSequence == batch.Count);
        return (PreCreditRecords.NewCode(), enterprise);
    }

    private async Task GrantAsync(string enterprise, string bank)
    {
        using var response = await _client.PostAsJsonAsync(
            $"/api/v1/enterprises/{enterprise}/authorisations",
            new { bank, purpose = "working capital", expiresAt = DateTimeOffset.UtcNow.AddDays(90) },
            Cancellation);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var granted = await response.Content.ReadFromJsonAsync<JsonElement>(Cancellation);
        Assert.Equal(bank, granted.GetProperty("bank").GetString());
        Assert.Equal("live", granted.GetProperty("status").GetString());
    }

    private Task<HttpResponseMessage> DecideAsync(string bank, string enterprise, decimal amount) =>
        _client.PostAsJsonAsync("/api/v1/precredit", new { bank, enterprise, amount, purpose = "working capital" }, Cancellation);

    private async Task<JsonElement> DecideOkAsync(string bank, string enterprise, decimal amount)
    {
        using var response = await DecideAsync(bank, enterprise, amount);
        var text = await response.Content.ReadAsStringAsync(Cancellation);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"Expected 200, got {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
