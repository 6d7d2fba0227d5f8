using System.Text.Json;
using System.Text.Json.Serialization;
using CreditGrid.Domain.Events;
using CreditGrid.Domain.Scoring;
using static CreditGrid.Domain.Tests.Scoring.Given;

namespace CreditGrid.Domain.Tests.Scoring;

/// <summary>The evaluation crosses grain boundaries and snapshots as JSON; it must come back able to fold on.</summary>
public sealed class SerializationTests
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    [Fact]
    public void EvaluationSurvivesAJsonRoundTripAndKeepsFolding()
    {
        var decided = Day(2026, 6, 1);
        var state = Fold(At(2026, 6, 1), [.. Exemplary(decided), SeriousPenalty(decided), Record(new LicenceGranted("Food", Day(2026, 6, 20)), decided)]);

        var restored = JsonSerializer.Deserialize<SubjectEvaluation>(JsonSerializer.Serialize(state, Options), Options)!;

        Assert.Equal(state.Score, restored.Score);
        Assert.Equal(state.Dimensions, restored.Dimensions);
        Assert.Equal(state.Grade, restored.Grade);
        Assert.Equal(state.Warnings.Select(w => (w.Id, w.RuleId, w.Status)), restored.Warnings.Select(w => (w.Id, w.RuleId, w.Status)));
        Assert.Equal(state.Records.Length, restored.Records.Length);

        var next = GeneralPenalty(decided);
        var fromOriginal = Evaluator.Evolve(Evaluator.Reevaluate(state, At(2027, 1, 1)), new LoggedCreditEvent(state.LastAppliedSequence + 1, next), At(2027, 1, 1));
        var fromRestored = Evaluator.Evolve(Evaluator.Reevaluate(restored, At(2027, 1, 1)), new LoggedCreditEvent(state.LastAppliedSequence + 1, next), At(2027, 1, 1));
        Assert.Equal(fromOriginal.Score, fromRestored.Score);
        Assert.Equal(fromOriginal.Grade, fromRestored.Grade);
        Assert.Equal(Evaluator.NextScheduledChange(fromOriginal), Evaluator.NextScheduledChange(fromRestored));
    }

    [Fact]
    public void NewEventKindsRoundTripUnderTheirAliases()
    {
        EventDetails details = new CommitmentBroken("C-7", ApprovalRevoked: true, Fraudulent: false);

        var json = JsonSerializer.Serialize(details, Options);
        var back = JsonSerializer.Deserialize<EventDetails>(json, Options);

        Assert.Contains("\"type\":\"credit.commitment-broken.v1\"", json);
        Assert.Equal(details, back);
        Assert.Equal(EventTypes.CommitmentBroken, EventTypes.Of(details));
    }
}
