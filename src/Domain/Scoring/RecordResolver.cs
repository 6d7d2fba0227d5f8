using System.Globalization;
using CreditGrid.Domain.Events;

namespace CreditGrid.Domain.Scoring;

/// <summary>Turns an accepted record into its scored effect under one rules version.</summary>
internal static class RecordResolver
{
    /// <summary>The effect of a scored record, or null when the kind does not score or this outcome is neutral.</summary>
    public static RecordEffect? Resolve(CreditRules rules, long sequence, CreditEvent e)
    {
        // A kind this assembly cannot name carries no score rather than stopping the fold.
        if (EventTypes.TryOf(e.Details) is not { } eventType || !rules.Kinds.TryGetValue(eventType, out var kind))
        {
            return null;
        }

        var cls = PublicityClass.NotApplicable;
        string? key = null;
        var orderKey = 0;
        DateOnly? explicitEnd = null;
        int? maxMonthsOverride = null;
        var points = 0;

        string? variantName;
        switch (e.Details)
        {
            case LicenceGranted l:
                variantName = "Valid";
                key = l.LicenceType;
                explicitEnd = l.ValidTo;
                break;
            case PenaltyImposed p:
                cls = e.PublicityClass is { } given and not PublicityClass.NotApplicable ? given : rules.Publicity.Infer(p.PenaltyTypes);
                variantName = cls.ToString();
                break;
            case CompulsoryMeasureImposed c:
                variantName = "Active";
                key = c.Measure;
                explicitEnd = c.LiftedOn;
                break;
            case RewardGranted r:
                variantName = r.Level.ToString();
                break;
            case ConfirmationGranted c:
                variantName = kind.MajorKeys.Contains(c.ConfirmationType) ? "Major" : "Standard";
                key = c.ConfirmationType;
                explicitEnd = c.ValidTo;
                break;
            case AdjudicationDecided a:
                variantName = a.AgainstSubject ? "Against" : null;
                break;
            case InspectionCompleted i:
                variantName = i.Result.ToString();
                break;
            case SeriousDishonestyListed s:
                variantName = "Listed";
                key = ListKey(s.ListName, s.Authority);
                maxMonthsOverride = s.ListPeriodMonths;
                break;
            case DishonestJudgmentDebtorListed d:
                variantName = "Listed";
                key = d.CaseNumber;
                break;
            case TaxCreditRated t:
                variantName = t.Level.ToString();
                key = "tax-credit-rating";
                orderKey = t.Year;
                break;
            case UtilityPaymentRecorded u:
                variantName = u.OverdueDays <= 0 ? "OnTime" : u.OverdueDays >= (kind.Threshold ?? decimal.MaxValue) ? "Overdue" : "Late";
                key = u.Utility.ToString();
                orderKey = MonthIndex(u.Month) ?? MonthIndex(e.DecisionDate);
                break;
            case AbnormalOperationsListed a:
                variantName = "Listed";
                key = a.Authority;
                break;
            case CourtJudgmentRecorded c:
                variantName = c.SubjectLost && c.CaseType != CaseType.Other ? "Lost" : null;
                break;
            case RestrictedConsumptionOrdered r:
                variantName = "Active";
                key = r.CaseNumber;
                break;
            case TaxArrearsRecorded t:
                variantName = t.AbnormalTaxpayer ? "AbnormalTaxpayer" : "Arrears";
                key = nameof(ArrearsKind.Tax);
                break;
            case SocialInsuranceArrearsRecorded s:
                variantName = s.Months >= (kind.Threshold ?? decimal.MaxValue) ? "Long" : "Short";
                key = nameof(ArrearsKind.SocialInsurance);
                orderKey = s.Months;
                break;
            case ContractPerformanceRecorded c:
                variantName = c.Outcome == ContractOutcome.Breached
                    ? c.PublicProcurement ? "PublicProcurementBreach" : "Breach"
                    : c.CounterpartyKind is CounterpartyKind.Government or CounterpartyKind.StateOwned ? "PublicFulfilled" : null;
                break;
            case CommitmentMade:
                variantName = "Made";
                break;
            case CommitmentBroken b:
                variantName = b.Fraudulent ? "Fraudulent" : b.ApprovalRevoked ? "ApprovalRevoked" : "Broken";
                break;
            case SelfDeclaredInformation s:
                variantName = !s.Verified ? "Unverified" : s.Category == DeclarationCategory.PublicWelfare ? "VerifiedPublicWelfare" : "Verified";
                key = s.Category.ToString();
                break;
            case RedListed r:
                variantName = "Listed";
                key = r.ListName;
                explicitEnd = r.ValidTo;
                break;
            default:
                return null;
        }

        if (variantName is null || !kind.Variants.TryGetValue(variantName, out var variant))
        {
            return null;
        }

        points += variant.Points;
        if (variant.AboveThresholdPoints is { } extra && kind.Threshold is { } threshold && e.Amount >= threshold)
        {
            points += extra;
        }

        var decision = e.DecisionDate;
        var publicitySet = rules.Publicity.For(decision);
        var period = cls == PublicityClass.NotApplicable ? null : publicitySet.For(cls);
        var months = variant.PublicityPeriod && period is not null ? period.MaxMonths : variant.Months;

        DateOnly? ends;
        DateOnly? fullUntil = null;
        switch (variant.Shape)
        {
            case EffectShape.Decay:
                ends = decision.AddMonths(months ?? 0);
                break;
            case EffectShape.ValidThenDecay:
                fullUntil = decision.AddMonths(months ?? 0);
                ends = fullUntil.Value.AddMonths(variant.DecayMonths ?? 0);
                break;
            default:
                ends = explicitEnd ?? e.EffectiveTo ?? (months is { } m ? decision.AddMonths(m) : null);
                break;
        }

        var maxMonths = maxMonthsOverride ?? variant.MaxMonths;
        var minMonths = period?.MinMonths ?? 0;
        return new RecordEffect(sequence, e.RecordId, eventType, kind.Dimension, points, points, decision, ends)
        {
            Variant = variant.Name,
            Serious = variant.Serious,
            PublicityClass = cls,
            Shape = variant.Shape,
            FullUntil = fullUntil,
            MinPeriodEnds = minMonths > 0 ? decision.AddMonths(minMonths) : null,
            MaxPeriodEnds = maxMonths is { } max ? decision.AddMonths(max) : null,
            CapGrade = variant.CapGrade,
            CapUntil = variant.CapMonths is { } capMonths ? decision.AddMonths(capMonths) : null,
            EscalatesOn = variant.EscalateAfterMonths is { } escalate ? decision.AddMonths(escalate) : null,
            EscalatedCapGrade = variant.EscalatedCapGrade,
            MatchKey = key,
            OrderKey = orderKey,
            Source = e,
            KindSlot = kind.Index,
        };
    }

    public static string ListKey(string listName, string authority) => listName + "|" + authority;

    public static int MonthIndex(DateOnly date) => (date.Year * 12) + date.Month - 1;

    private static int? MonthIndex(string month) =>
        DateOnly.TryParseExact(month + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? MonthIndex(date) : null;
}
