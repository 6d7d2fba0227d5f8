using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Nodes;
using CreditGrid.Domain.Events;
using CreditGrid.Domain.Identifiers;
using CreditGrid.Domain.Ingest;
using CreditGrid.Domain.Reference;
using CreditGrid.Domain.Scoring;
using CreditGrid.Gateway.Apis;
using CreditGrid.Gateway.Ingest;
using CreditGrid.Grains.Alerts;
using CreditGrid.Grains.Cities;
using CreditGrid.Grains.Subjects;

namespace CreditGrid.Gateway.OpenApi;

/// <summary>
/// Examples of the API document. The answers are not written by hand: the example batch is parsed and folded by
/// the real parser and evaluator, so every example shows what the grid would answer to that batch.
/// </summary>
public static class ApiExamples
{
    /// <summary>An individual business in Weibin district (渭滨区), Baoji.</summary>
    public const string Enterprise = "92610302MARN0L1C9E";

    /// <summary>The provincial market regulator, as providing department and as a government body.</summary>
    public const string Department = "11610000MAH10K732H";

    /// <summary>A batch as a JSON array: a licence, then a serious penalty, for one enterprise.</summary>
    public const string BatchJson = """
        [
          {"recordId": "BJ-AMR-2025-000101", "subjectId": "92610302MARN0L1C9E", "sourceDepartment": "11610000MAH10K732H",
           "type": "credit.licence-granted.v1", "decisionDate": "2025-01-10", "decisionDocumentNumber": "宝市监许〔2025〕3号",
           "jurisdiction": "610302", "details": {"licenceType": "food-business", "validTo": "2030-01-09"}},
          {"recordId": "BJ-AMR-2025-000123", "subjectId": "92610302MARN0L1C9E", "sourceDepartment": "11610000MAH10K732H",
           "type": "credit.penalty-imposed.v1", "decisionDate": "2025-03-01", "decisionDocumentNumber": "宝市监罚〔2025〕12号",
           "publicityClass": "serious", "amount": 200000, "jurisdiction": "610302",
           "legalBasis": "《中华人民共和国食品安全法》第一百二十四条", "details": {"penaltyTypes": ["fine", "confiscationOfIllegalGains"]}}
        ]
        """;

    /// <summary>A record about the regulator itself, for the government-body example.</summary>
    private const string GovernmentBodyRecord = """
        {"recordId": "SX-FIN-2025-000007", "subjectId": "11610000MAH10K732H", "sourceDepartment": "11610000MAH10K732H",
         "type": "credit.licence-granted.v1", "decisionDate": "2025-02-01", "details": {"licenceType": "public-service", "validTo": "2030-01-31"}}
        """;

    /// <summary>The moment the examples are evaluated at, fixed so the document is the same on every start.</summary>
    private static readonly DateTimeOffset AsOf = new(2025, 3, 2, 9, 30, 0, TimeSpan.FromHours(8));

    /// <summary>The same batch as NDJSON: one record per line.</summary>
    public static string BatchNdjson { get; } = string.Join('\n', JsonNode.Parse(BatchJson)!.AsArray().Select(r => r!.ToJsonString())) + "\n";

    /// <summary>Example answers by operation key (<c>METHOD /path</c>), in the gateway's own JSON shape.</summary>
    public static FrozenDictionary<string, JsonNode> Responses(JsonSerializerOptions json)
    {
        var records = JsonDocument.Parse(BatchJson).RootElement.EnumerateArray().ToList();
        var evaluator = new CreditEvaluator(CreditRules.Default);
        var enterprise = Fold(evaluator, Enterprise, records);
        var governmentBody = Fold(evaluator, Department, [JsonDocument.Parse(GovernmentBodyRecord).RootElement]);
        var batch = new BatchResult(records.Count, 0, 0, records.Select((r, i) => new RecordResult(i, r.GetProperty("recordId").GetString(), Ingest.RecordStatus.Accepted, i + 1L)).ToList());
        var alerts = enterprise.Warnings.Select((w, i) => new Alert(w.Id, Enterprise, "610300", w.RuleId, w.Severity, w.Status, w.Reason, w.RaisedAt, w.StatusChangedAt, w.RecordId, i + 1L)).ToList();
        var city = CityExample();
        return new Dictionary<string, JsonNode>
        {
            [ApiOperations.SubmitEvents] = Node(batch, json),
            [ApiOperations.GetEnterprise] = Node(View(enterprise), json),
            [ApiOperations.GetExplanation] = Node(evaluator.Explain(enterprise), json),
            [ApiOperations.GetGovernmentBody] = Node(View(governmentBody), json),
            [ApiOperations.QueryAlerts] = Node(alerts, json),
            [ApiOperations.GetCity] = Node(city, json),
            [ApiOperations.ListCities] = Node(new[] { city }, json),
        }.ToFrozenDictionary();
    }

    private static SubjectEvaluation Fold(CreditEvaluator evaluator, string subject, IReadOnlyList<JsonElement> records)
    {
        var state = evaluator.Initial(subject, AsOf);
        for (var i = 0; i < records.Count; i++)
        {
            var parsed = CreditRecordParser.Parse(records[i], AsOf, TimeSpan.Zero);
            var e = parsed.Event ?? throw new InvalidOperationException($"Example record {i} of {subject} is invalid: {parsed.Rejection}");
            state = evaluator.Evolve(state, new LoggedCreditEvent(i + 1L, e), AsOf);
        }

        return state;
    }

    private static SubjectResponse View(SubjectEvaluation e)
    {
        var code = Uscc.Validate(e.SubjectId);
        return SubjectResponse.From(new SubjectView(
            e.SubjectId, code.SubjectType ?? SubjectType.Other, e.Score, e.Grade, e.Tier, e.Dimensions, e.SeriouslyDishonest,
            e.Warnings, e.LastAppliedSequence, e.AsOf, e.RulesVersion, code.DivisionCode));
    }

    private static CityView CityExample()
    {
        var baoji = AdministrativeDivisions.Find("610300")!;
        var tiers = new Dictionary<SupervisionTier, int>
        {
            [SupervisionTier.Low] = 612, [SupervisionTier.General] = 803, [SupervisionTier.RelativelyHigh] = 97, [SupervisionTier.High] = 12,
        };
        return new CityView(baoji.Code, baoji.Name, baoji.Level, baoji.ParentCode, 1524, 1498, 26, tiers, 741.6, 0.0039, AsOf);
    }

    private static JsonNode Node<T>(T value, JsonSerializerOptions json) => JsonSerializer.SerializeToNode(value, json)!;
}
