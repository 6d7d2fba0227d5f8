using CreditGrid.Storage.Audit;

namespace CreditGrid.Gateway.Tests.Audit;

/// <summary>Entries are built from request data that may be missing, long or malformed, and must still store and hash.</summary>
public sealed class AuditEntryTests
{
    private static AuditEntry Create(string? who = "alice", string? purpose = null, IEnumerable<string>? roles = null, DateTimeOffset? time = null) =>
        AuditEntry.Create(time ?? DateTimeOffset.UtcNow, who, roles ?? [], null, null, purpose, "credit.read", "GET", "/r", 200, "c");

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void AMissingCallerIsAnonymous(string? who) => Assert.Equal(AuditEntry.Anonymous, Create(who).Who);

    [Fact]
    public void ControlCharactersAndNulAreDroppedAndLoneSurrogatesReplaced()
    {
        var entry = Create(purpose: "loan\0 review\r\n\ud800x");

        Assert.Equal("loan review\uFFFDx", entry.Purpose);
    }

    [Fact]
    public void LongTextIsBoundedAndBlankRolesAreLeftOut()
    {
        var entry = Create(who: new string('w', 1000), purpose: new string('p', 5000), roles: ["bank", " ", "reader"]);

        Assert.Equal(AuditEntry.MaxIdentifierLength, entry.Who.Length);
        Assert.Equal(AuditEntry.MaxTextLength, entry.Purpose!.Length);
        Assert.Equal(["bank", "reader"], entry.Roles);
    }

    [Fact]
    public void TimeIsUtcAtMicrosecondPrecision()
    {
        var local = new DateTimeOffset(2026, 3, 1, 16, 0, 0, TimeSpan.FromHours(8)).AddTicks(1234567);

        var entry = Create(time: local);

        Assert.Equal(TimeSpan.Zero, entry.Time.Offset);
        Assert.Equal(local.UtcTicks - 7, entry.Time.UtcTicks);
    }
}
