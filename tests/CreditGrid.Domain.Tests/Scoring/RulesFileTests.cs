using System.Text.Json.Nodes;
using CreditGrid.Domain.Scoring;

namespace CreditGrid.Domain.Tests.Scoring;

/// <summary>The versioned rules file: the shipped one loads, and each kind of bad input is refused by key path.</summary>
public sealed class RulesFileTests
{
    public static string DefaultJson()
    {
        using var stream = typeof(CreditRules).Assembly.GetManifestResourceStream("CreditGrid.Domain.Rules.credit-rules.v1.json")!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    [Fact]
    public void ShippedRulesParseAndCarryTheirVersion()
    {
        var result = CreditRules.Parse(DefaultJson());

        Assert.Empty(result.Errors);
        Assert.True(result.IsValid);
        Assert.Equal("2026.2", result.Rules!.Version);
        Assert.Equal(1000, result.Rules.MaxTotal);
        Assert.Equal(ScoringCatalog.Variants.Count, result.Rules.Kinds.Count);
    }

    [Fact]
    public void SchemaFileShipsBesideTheRules()
    {
        var names = typeof(CreditRules).Assembly.GetManifestResourceNames();

        Assert.Contains("CreditGrid.Domain.Rules.credit-rules.schema.json", names);
    }

    [Theory]
    [InlineData("missing dimension", "dimensions.D3")]
    [InlineData("missing dimension maximum", "dimensions.D3.max")]
    [InlineData("negative publicity period", "publicity.ruleSets[1].classes.General.minMonths")]
    [InlineData("negative effect period", "kinds.credit.adjudication-decided.v1.variants.Against.months")]
    [InlineData("grade A above the maximum total", "grades.A")]
    [InlineData("grade bands out of order", "grades.B")]
    [InlineData("unknown event kind", "kinds.credit.bribe-paid.v1")]
    [InlineData("missing event kind", "kinds.credit.red-listed.v1")]
    [InlineData("unknown variant", "kinds.credit.reward-granted.v1.variants.Global")]
    [InlineData("malformed version", "version")]
    [InlineData("unknown warning trigger", "warnings.triggers.MoonPhase")]
    [InlineData("warning trigger without its threshold", "warnings.triggers.ScoreDropCritical.points")]
    [InlineData("sampling ratio above one", "supervision.D.samplingRatioMax")]
    public void BadRulesAreRefusedNamingTheKey(string problem, string path)
    {
        var json = JsonNode.Parse(DefaultJson())!;
        Break(json, problem);

        var result = CreditRules.Parse(json.ToJsonString());

        Assert.Null(result.Rules);
        Assert.Contains(result.Errors, e => e.Path == path);
    }

    [Theory]
    [InlineData("2026.1")]
    [InlineData("2027.12")]
    [InlineData("1.0.0")]
    [InlineData("2.3.4-rc.1")]
    public void VersionsLikeYearDotReleaseOrSemverAreAccepted(string version)
    {
        var json = JsonNode.Parse(DefaultJson())!;
        json["version"] = version;

        Assert.True(CreditRules.Parse(json.ToJsonString()).IsValid);
    }

    [Theory]
    [InlineData("v1")]
    [InlineData("2026")]
    [InlineData("26.1")]
    [InlineData("1.0")]
    public void MalformedVersionsAreRefused(string version)
    {
        var json = JsonNode.Parse(DefaultJson())!;
        json["version"] = version;

        Assert.Contains(CreditRules.Parse(json.ToJsonString()).Errors, e => e.Path == "version");
    }

    [Fact]
    public void InvalidJsonIsReportedNotThrown()
    {
        var result = CreditRules.Parse("{ not json");

        Assert.False(result.IsValid);
        Assert.Single(result.Errors);
    }

    private static void Break(JsonNode json, string problem)
    {
        switch (problem)
        {
            case "missing dimension":
                json["dimensions"]!.AsObject().Remove("D3");
                break;
            case "missing dimension maximum":
                json["dimensions"]!["D3"]!.AsObject().Remove("max");
                break;
            case "negative publicity period":
                json["publicity"]!["ruleSets"]![1]!["classes"]!["General"]!["minMonths"] = -3;
                break;
            case "negative effect period":
                json["kinds"]!["credit.adjudication-decided.v1"]!["variants"]!["Against"]!["months"] = -12;
                break;
            case "grade A above the maximum total":
                json["grades"]!["A"] = 1200;
                break;
            case "grade bands out of order":
                json["grades"]!["B"] = 900;
                break;
            case "unknown event kind":
                json["kinds"]!["credit.bribe-paid.v1"] = JsonNode.Parse("""{ "dimension": "D1", "variants": {} }""");
                break;
            case "missing event kind":
                json["kinds"]!.AsObject().Remove("credit.red-listed.v1");
                break;
            case "unknown variant":
                json["kinds"]!["credit.reward-granted.v1"]!["variants"]!["Global"] = JsonNode.Parse("""{ "points": 90, "shape": "Constant" }""");
                break;
            case "malformed version":
                json["version"] = "latest";
                break;
            case "unknown warning trigger":
                json["warnings"]!["triggers"]!["MoonPhase"] = JsonNode.Parse("""{ "severity": "Blue" }""");
                break;
            case "warning trigger without its threshold":
                json["warnings"]!["triggers"]!["ScoreDropCritical"]!.AsObject().Remove("points");
                break;
            case "sampling ratio above one":
                json["supervision"]!["D"]!["samplingRatioMax"] = 1.5;
                break;
        }
    }
}
