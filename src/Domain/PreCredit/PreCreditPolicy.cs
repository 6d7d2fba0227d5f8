using System.ComponentModel.DataAnnotations;
using CreditGrid.Domain.Scoring;

namespace CreditGrid.Domain.PreCredit;

/// <summary>
/// Numbers of the 秦信融 joint pre-credit (联合预授信) policy, DOMAIN §9. The defaults are the documented ones;
/// a deployment overrides them from configuration rather than from code.
/// </summary>
public sealed record PreCreditPolicy
{
    /// <summary>R06: enterprises younger than this many months are rejected.</summary>
    [Range(0, 600)]
    public int MinimumAgeMonths { get; init; } = 12;

    /// <summary>k_tax: limit per yuan of annual tax paid.</summary>
    [Range(0, 1000)]
    public decimal TaxMultiple { get; init; } = 5m;

    /// <summary>k_sales: limit per yuan of annual invoiced sales.</summary>
    [Range(0, 10)]
    public decimal SalesMultiple { get; init; } = 0.15m;

    /// <summary>m_grade for composite grade A.</summary>
    public decimal GradeAMultiplier { get; init; } = 1.2m;

    /// <summary>m_grade for composite grade B.</summary>
    public decimal GradeBMultiplier { get; init; } = 1.0m;

    /// <summary>m_grade for composite grade C.</summary>
    public decimal GradeCMultiplier { get; init; } = 0.6m;

    /// <summary>m_PD = clip(1 − slope·PD, 0, 1); with 10 the limit reaches zero at PD 10%.</summary>
    [Range(0, 1000)]
    public decimal PdSlope { get; init; } = 10m;

    /// <summary>productCap: ceiling of a pure-credit SME loan, in yuan.</summary>
    [Range(0, 1_000_000_000)]
    public decimal ProductCap { get; init; } = 3_000_000m;

    /// <summary>The limit is rounded down to a multiple of this many yuan (¥10k).</summary>
    [Range(1, 1_000_000)]
    public decimal LimitRoundingUnit { get; init; } = 10_000m;

    /// <summary>PD below which the first band (with grade A) applies.</summary>
    public double FirstBandMaxPd { get; init; } = 0.01;

    /// <summary>PD below which the second band applies.</summary>
    public double SecondBandMaxPd { get; init; } = 0.03;

    /// <summary>PD below which the third band applies; at or above it there is no offer.</summary>
    public double ThirdBandMaxPd { get; init; } = 0.06;

    /// <summary>Spreads over LPR, in basis points, of the three bands.</summary>
    public IReadOnlyList<RateBand> Bands { get; init; } =
    [
        new(1, 0, 50),
        new(2, 50, 150),
        new(3, 150, 300),
    ];

    /// <summary>m_grade for a grade; D never reaches the limit because R05 rejects it first.</summary>
    public decimal GradeMultiplier(CreditGrade grade) => grade switch
    {
        CreditGrade.A => GradeAMultiplier,
        CreditGrade.B => GradeBMultiplier,
        CreditGrade.C => GradeCMultiplier,
        _ => 0m,
    };
}

/// <summary>An indicative pricing band: LPR plus a spread range.</summary>
/// <param name="Band">1 is the best band.</param>
/// <param name="MinSpreadBp">Lowest spread over LPR, basis points.</param>
/// <param name="MaxSpreadBp">Highest spread over LPR, basis points.</param>
public sealed record RateBand(int Band, int MinSpreadBp, int MaxSpreadBp);
