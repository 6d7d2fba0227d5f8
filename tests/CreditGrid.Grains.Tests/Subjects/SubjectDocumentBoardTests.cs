using CreditGrid.Domain.PreCredit;
using CreditGrid.Domain.Scoring;
using CreditGrid.Grains.Rules;
using CreditGrid.Grains.Subjects;
using CreditGrid.Grains.Time;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CreditGrid.Grains.Tests.Subjects;

/// <summary>What the board serves: a posting is read back until it is withdrawn, the rules move on or its time passes.</summary>
public sealed class SubjectDocumentBoardTests
{
    private const string Subject = "91610000MA6TXXXX01";

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.FromHours(8)));
    private readonly ActiveRules _rules = new(StartupRules.Load(null));
    private readonly SubjectDocumentBoard _board;
    private readonly SubjectDocument _document = new("{\"uscc\":\"91610000MA6TXXXX01\"}"u8.ToArray());

    public SubjectDocumentBoardTests() =>
        _board = new SubjectDocumentBoard(_rules, new GridClock(_clock), Options.Create(new ReadBoardOptions { Enabled = true }));

    [Fact]
    public void APostedDocumentIsReadBackAsTheSameBytesForItsKindOfSubjectOnly()
    {
        Assert.Null(_board.Read(Subject, governmentBody: false));

        Assert.True(_board.Post(Subject, governmentBody: false, _document, features: null, _rules.Version, validUntil: null));

        Assert.Same(_document, _board.Read(Subject, governmentBody: false));
        Assert.Null(_board.Read(Subject, governmentBody: true));
        Assert.Null(_board.Read("91610000MA6TXXXX02", governmentBody: false));
        Assert.Equal(1, _board.Count);
    }

    [Fact]
    public void PreCreditFeaturesArePostedBesideTheDocumentAndLeaveWithIt()
    {
        var features = new PreCreditFeatures(false, false, false, false, false, CreditGrade.B, 48, 12, 120_000m, 3_000_000m);
        Assert.Null(_board.ReadPreCreditFeatures(Subject));

        _board.Post(Subject, governmentBody: false, document: null, features, _rules.Version, validUntil: null);
        Assert.Null(_board.Read(Subject, governmentBody: false)); // not rendered yet: the lookup calls the grain
        Assert.Same(features, _board.ReadPreCreditFeatures(Subject));

        _board.Post(Subject, governmentBody: false, _document, features, _rules.Version, validUntil: null);
        Assert.Same(_document, _board.Read(Subject, governmentBody: false));
        Assert.Same(features, _board.ReadPreCreditFeatures(Subject));

        _board.Withdraw(Subject, governmentBody: false);
        Assert.Null(_board.ReadPreCreditFeatures(Subject));
        Assert.Null(_board.Read(Subject, governmentBody: false));
    }

    [Fact]
    public void PostedFeaturesExpireAndFollowTheRulesLikeTheDocument()
    {
        var features = new PreCreditFeatures(false, false, false, false, false, CreditGrade.A, 60, 12, 90_000m, 2_000_000m);
        _board.Post(Subject, governmentBody: false, _document, features, _rules.Version, _clock.GetUtcNow().AddHours(1));
        Assert.Same(features, _board.ReadPreCreditFeatures(Subject));

        _clock.Advance(TimeSpan.FromHours(1));
        Assert.Null(_board.ReadPreCreditFeatures(Subject));

        _board.Post(Subject, governmentBody: false, _document, features, _rules.Version, validUntil: null);
        var newer = CreditRules.Parse(CreditRules.DefaultFileText().Replace("\"version\": \"2026.2\"", "\"version\": \"2026.98\"")).Rules!;
        Assert.True(_rules.Use(newer));
        Assert.Null(_board.ReadPreCreditFeatures(Subject));
    }

    [Fact]
    public void AClosedBoardTakesNoPostings()
    {
        var closed = new SubjectDocumentBoard(_rules, new GridClock(_clock), Options.Create(new ReadBoardOptions()));

        Assert.False(closed.Post(Subject, governmentBody: false, _document, features: null, _rules.Version, validUntil: null));

        Assert.Null(closed.Read(Subject, governmentBody: false));
        Assert.Equal(0, closed.Count);
    }

    [Fact]
    public void AWithdrawnDocumentIsNoLongerServed()
    {
        _board.Post(Subject, governmentBody: true, _document, features: null, _rules.Version, validUntil: null);

        _board.Withdraw(Subject, governmentBody: true);

        Assert.Null(_board.Read(Subject, governmentBody: true));
        Assert.Equal(0, _board.Count);
    }

    [Fact]
    public void APostingIsServedUntilItsValidityEndsAndNotFromThatMomentOn()
    {
        var until = _clock.GetUtcNow().AddDays(30);
        _board.Post(Subject, governmentBody: false, _document, features: null, _rules.Version, until);

        _clock.Advance(TimeSpan.FromDays(30) - TimeSpan.FromTicks(1));
        Assert.Same(_document, _board.Read(Subject, governmentBody: false));

        _clock.Advance(TimeSpan.FromTicks(1));
        Assert.Null(_board.Read(Subject, governmentBody: false));
    }

    [Fact]
    public void APostingOfAnOlderRulesVersionIsNotServedOnceANewVersionIsActive()
    {
        _board.Post(Subject, governmentBody: false, _document, features: null, _rules.Version, validUntil: null);
        var newer = CreditRules.Parse(CreditRules.DefaultFileText().Replace("\"version\": \"2026.2\"", "\"version\": \"2026.99\"")).Rules!;

        Assert.True(_rules.Use(newer));

        Assert.Null(_board.Read(Subject, governmentBody: false));
    }
}
