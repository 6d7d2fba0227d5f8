using CreditGrid.Grains.PreCredit;
using CreditGrid.Grains.Subjects;
using Microsoft.Extensions.Options;

namespace CreditGrid.Grains.Tests.PreCredit;

/// <summary>What the consent board answers: the grain's own test of a live authorisation, at the asking instant.</summary>
public sealed class ConsentBoardTests
{
    private const string Enterprise = "91610000MA6TXXXX01";
    private const string Bank = "91610100MA6TGBANK1";
    private const string OtherBank = "91610100MA6TGBANK2";

    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.FromHours(8));

    private readonly ConsentBoard _board = new(Options.Create(new ReadBoardOptions { Enabled = true }));

    [Fact]
    public void AnEnterpriseWithoutAPostingIsLeftToItsGrain()
    {
        Assert.Null(_board.IsAuthorised(Enterprise, Bank, Now));

        Assert.True(_board.Post(Enterprise, []));

        Assert.False(_board.IsAuthorised(Enterprise, Bank, Now));
    }

    [Fact]
    public void OnlyALiveAuthorisationOfTheAskingBankCounts()
    {
        _board.Post(Enterprise, [
            new Authorisation(Bank, "working capital", Now.AddDays(-10), Now.AddDays(20), RevokedAt: null),
            new Authorisation(OtherBank, "working capital", Now.AddDays(-10), Now.AddDays(20), RevokedAt: Now.AddDays(-1)),
        ]);

        Assert.True(_board.IsAuthorised(Enterprise, Bank, Now));
        Assert.False(_board.IsAuthorised(Enterprise, OtherBank, Now)); // revoked
        Assert.False(_board.IsAuthorised(Enterprise, Bank, Now.AddDays(20))); // expired at that instant
        Assert.False(_board.IsAuthorised(Enterprise, Bank, Now.AddDays(-11))); // not yet granted
        Assert.Null(_board.IsAuthorised("91610000MA6TXXXX02", Bank, Now));
    }

    [Fact]
    public void AGrantIsLiveForAClockSlightlyBehindTheGrantingSilosButNotLongBefore()
    {
        // The consent grain stamps the grant with its silo's clock; the desk asks with its own, which may run behind.
        _board.Post(Enterprise, [new Authorisation(Bank, "working capital", Now, Now.AddDays(30), RevokedAt: null)]);

        Assert.True(_board.IsAuthorised(Enterprise, Bank, Now.AddMilliseconds(-50)));
        Assert.True(_board.IsAuthorised(Enterprise, Bank, Now - Authorisation.ClockSkewAllowance));
        Assert.False(_board.IsAuthorised(Enterprise, Bank, Now - Authorisation.ClockSkewAllowance - TimeSpan.FromMilliseconds(1)));
        Assert.False(_board.IsAuthorised(Enterprise, Bank, Now.AddMinutes(-1)));
    }

    [Fact]
    public void AWithdrawnPostingSendsTheQuestionBackToTheGrain()
    {
        _board.Post(Enterprise, [new Authorisation(Bank, "working capital", Now, Now.AddDays(20), RevokedAt: null)]);

        _board.Withdraw(Enterprise);

        Assert.Null(_board.IsAuthorised(Enterprise, Bank, Now));
    }

    [Fact]
    public void AClosedBoardTakesNoPostings()
    {
        var closed = new ConsentBoard(Options.Create(new ReadBoardOptions()));

        Assert.False(closed.Post(Enterprise, [new Authorisation(Bank, "working capital", Now, Now.AddDays(20), RevokedAt: null)]));

        Assert.Null(closed.IsAuthorised(Enterprise, Bank, Now));
    }
}
