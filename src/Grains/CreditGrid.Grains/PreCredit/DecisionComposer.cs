using System.Collections.Immutable;
using System.Runtime.InteropServices;
using CreditGrid.Domain.PreCredit;
using CreditGrid.Domain.Scoring;
using CreditGrid.Models.Training.Serving;

namespace CreditGrid.Grains.PreCredit;

/// <summary>Turns features, model scores and the pure policy's answer into the decision a bank receives.</summary>
public static class DecisionComposer
{
    /// <summary>Reasons and positive factors listed per decision.</summary>
    public const int TopFactors = 3;

    /// <summary>Resolution of the composite score in the monotone PD envelope.</summary>
    public const float ScoreGridStep = 25;

    /// <summary>
    /// The model's score of a decision's input (probability and contributions) and the PD the decision uses: the
    /// probability made non-increasing in the composite score (see <see cref="ServingModel.NonIncreasingIn"/>), so a
    /// better public-credit score can never buy a worse PD. A model without the score column is used as it is.
    /// </summary>
    public static (ModelScore Score, double Pd) Score(ServingModel model, float[] input)
    {
        var index = model.IndexOf("composite_score");
        if (index < 0)
        {
            var plain = model.Score(input);
            return (plain, Math.Clamp(plain.Probability, 0, 1));
        }

        var (score, pd) = model.ScoreNonIncreasingIn(input, index, 0, ScoreGridStep, 1000);
        return (score, Math.Clamp(pd, 0, 1));
    }

    /// <summary>The features in the order <paramref name="model"/> reads them; a column the grid does not compute is NaN.</summary>
    public static float[] ModelInput(ServingModel model, float[] vector)
    {
        var input = new float[model.FeatureNames.Count];
        for (var i = 0; i < input.Length; i++)
        {
            var at = PreCreditFeatureVector.IndexOf(model.FeatureNames[i]);
            input[i] = at >= 0 ? vector[at] : float.NaN;
        }

        return input;
    }

    public static string OutcomeCode(PreCreditOutcome outcome) => outcome switch
    {
        PreCreditOutcome.ApproveIndicative => "APPROVE_INDICATIVE",
        PreCreditOutcome.Refer => "REFER",
        _ => "REJECT",
    };

    public static ReasonCode Reason(PreCreditReason reason) => reason switch
    {
        PreCreditReason.R01SeriousDishonestyList => ReasonCodes.R01,
        PreCreditReason.R02DishonestJudgmentDebtor => ReasonCodes.R02,
        PreCreditReason.R03AbnormalTaxpayerOrTaxD => ReasonCodes.R03,
        PreCreditReason.R04AbnormalOperations => ReasonCodes.R04,
        PreCreditReason.R05GradeD => ReasonCodes.R05,
        PreCreditReason.R06TooYoung => ReasonCodes.R06,
        PreCreditReason.R07NoTaxDeclared => ReasonCodes.R07,
        PreCreditReason.PdBeyondRateBands => ReasonCodes.PdBeyondRateBands,
        _ => ReasonCodes.NoIndicativeLimit,
    };

    /// <summary>The codes and texts of <paramref name="reasons"/>, in their order.</summary>
    public static ReasonCode[] Reasons(IReadOnlyList<PreCreditReason> reasons)
    {
        if (reasons.Count == 0)
        {
            return [];
        }

        var codes = new ReasonCode[reasons.Count];
        for (var i = 0; i < codes.Length; i++)
        {
            codes[i] = Reason(reasons[i]);
        }

        return codes;
    }

    /// <summary>
    /// The three features pushing PD up most (adverse, contribution &gt; 0) and the three pushing it down most
    /// (positive, contribution &lt; 0), from the model's per-decision feature contributions.
    /// </summary>
    public static (IReadOnlyList<FactorView> Adverse, IReadOnlyList<FactorView> Positive) Factors(ServingModel model, float[] input, ModelScore score)
    {
        Span<int> adverse = stackalloc int[TopFactors];
        Span<int> positive = stackalloc int[TopFactors];
        var (adverseCount, positiveCount) = (0, 0);
        var contributions = score.Contributions;
        for (var i = 0; i < contributions.Length; i++)
        {
            if (contributions[i] > 0)
            {
                adverseCount = Keep(adverse, adverseCount, i, contributions, largestFirst: true);
            }
            else if (contributions[i] < 0)
            {
                positiveCount = Keep(positive, positiveCount, i, contributions, largestFirst: false);
            }
        }

        return (Views(model, input, contributions, adverse[..adverseCount]), Views(model, input, contributions, positive[..positiveCount]));
    }

    /// <summary>
    /// Inserts feature <paramref name="index"/> into the ranked top list if it belongs there. Ties keep the earlier
    /// feature first (as a stable sort would), so the listed reasons do not depend on how the ranking is computed.
    /// </summary>
    private static int Keep(Span<int> top, int count, int index, float[] contributions, bool largestFirst)
    {
        var value = contributions[index];
        var at = count;
        while (at > 0 && (largestFirst ? contributions[top[at - 1]] < value : contributions[top[at - 1]] > value))
        {
            at--;
        }

        if (at >= top.Length)
        {
            return count;
        }

        var kept = Math.Min(count + 1, top.Length);
        for (var j = kept - 1; j > at; j--)
        {
            top[j] = top[j - 1];
        }

        top[at] = index;
        return kept;
    }

    private static FactorView[] Views(ServingModel model, float[] input, float[] contributions, ReadOnlySpan<int> indices)
    {
        var views = new FactorView[indices.Length];
        for (var k = 0; k < indices.Length; k++)
        {
            var i = indices[k];
            views[k] = new FactorView(model.FeatureNames[i], input[i], contributions[i]);
        }

        return views;
    }

    /// <summary>The names of <see cref="Inputs"/>: the feature vector's, then the hard rules' inputs.</summary>
    public static ImmutableArray<string> InputNames { get; } =
    [
        .. PreCreditFeatureVector.Names,
        "serious_dishonesty_list",
        "dishonest_judgment_debtor",
        "abnormal_taxpayer",
        "tax_rating_d",
        "abnormal_operations",
        "grade",
        "months_tax_declared_12",
        "annual_tax_paid",
        "annual_invoice_sales",
    ];

    /// <summary>Every input of the decision by name (<see cref="InputNames"/>): the model's features and the hard rules' inputs.</summary>
    public static DecisionInputs Inputs(PreCreditFeatures f, float[] vector)
    {
        if (vector.Length != PreCreditFeatureVector.Names.Count)
        {
            throw new ArgumentException($"{vector.Length} features for {PreCreditFeatureVector.Names.Count} names.", nameof(vector));
        }

        var numbers = new double[InputNames.Length];
        for (var i = 0; i < vector.Length; i++)
        {
            numbers[i] = vector[i];
        }

        var rules = numbers.AsSpan(vector.Length);
        rules[0] = f.OnSeriousDishonestyList ? 1 : 0;
        rules[1] = f.DishonestJudgmentDebtor ? 1 : 0;
        rules[2] = f.AbnormalTaxpayer ? 1 : 0;
        rules[3] = f.TaxRatingD ? 1 : 0;
        rules[4] = f.OnAbnormalOperationsList ? 1 : 0;
        rules[5] = f.Grade switch { CreditGrade.A => 4, CreditGrade.B => 3, CreditGrade.C => 2, _ => 1 };
        rules[6] = f.MonthsWithTaxDeclaredLast12;
        rules[7] = (double)f.AnnualTaxPaid;
        rules[8] = (double)f.AnnualInvoiceSales;
        // The array is handed over, not copied: nothing else holds it.
        return new DecisionInputs(InputNames, ImmutableCollectionsMarshal.AsImmutableArray(numbers));
    }
}

/// <summary>The reason codes, made once: immutable, so every decision can share them.</summary>
internal static class ReasonCodes
{
    public static readonly ReasonCode R01 = new("R01", "On a serious dishonesty list (严重失信主体名单).");
    public static readonly ReasonCode R02 = new("R02", "A dishonest judgment debtor (失信被执行人).");
    public static readonly ReasonCode R03 = new("R03", "An abnormal taxpayer or tax credit rating D.");
    public static readonly ReasonCode R04 = new("R04", "On the abnormal operations list (经营异常名录).");
    public static readonly ReasonCode R05 = new("R05", "Composite public-credit grade D.");
    public static readonly ReasonCode R06 = new("R06", "Established for less than the minimum number of months.");
    public static readonly ReasonCode R07 = new("R07", "No tax declared in the last twelve months.");
    public static readonly ReasonCode PdBeyondRateBands = new("PD_BEYOND_RATE_BANDS", "The probability of default is above every rate band.");
    public static readonly ReasonCode NoIndicativeLimit = new("NO_INDICATIVE_LIMIT", "The limit formula yields less than one rounding unit.");
}
