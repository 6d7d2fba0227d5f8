using System.Collections.Immutable;
using CreditGrid.Domain.Events;

namespace CreditGrid.Domain.Scoring;

/// <summary>
/// The integrity warnings (诚信预警) a step raises: milestones a record's window reaches with time, and what a new record
/// raises when it arrives, de-duplicated per rule within the window.
/// </summary>
public sealed partial class CreditEvaluator
{
    private void CheckMilestones(ref WarningCollector warnings, RecordEffect r, DateOnly today, DateOnly previousDay, bool isNew)
    {
        if (r.Status != RecordStatus.Active)
        {
            return;
        }

        // A milestone warning fires when the record enters its window, not on every step spent inside it.
        bool Entered(DateOnly from, DateOnly to)
        {
            if (ScoreMath.EndOf(r) is { } end && end < to && r.EventType != EventTypes.LicenceGranted)
            {
                to = end;
            }

            return today >= from && today < to && (isNew || previousDay < from || previousDay >= to);
        }

        if (r.EventType == EventTypes.LicenceGranted && r.EffectEnds is { } validTo)
        {
            var expiring = Rules.Warnings.LicenceExpiringDays;
            var expired = Rules.Warnings.LicenceExpiredDays;
            if (Entered(validTo.AddDays(-expiring), validTo))
            {
                warnings.Raise(WarningRuleIds.LicenceExpiring, $"Licence {r.MatchKey} expires on {validTo:yyyy-MM-dd}.", r.RecordId);
            }

            if (Entered(validTo, validTo.AddDays(expired)))
            {
                warnings.Raise(WarningRuleIds.LicenceExpired, $"Licence {r.MatchKey} expired on {validTo:yyyy-MM-dd} without renewal.", r.RecordId);
            }
        }

        if (r.EscalatesOn is { } escalates)
        {
            var days = Rules.Warnings.EscalationNoticeDays;
            if (Entered(escalates.AddDays(-days), escalates))
            {
                warnings.Raise(WarningRuleIds.AbnormalEscalationDue, $"Escalates to the serious list on {escalates:yyyy-MM-dd} unless corrected.", r.RecordId);
            }
        }

        if (r.MinPeriodEnds is { } minEnds)
        {
            var days = Rules.Warnings.RepairAllowedDays;
            if (Entered(minEnds, minEnds.AddDays(days)))
            {
                warnings.Raise(WarningRuleIds.RepairAllowed, $"Minimum publicity period ended on {minEnds:yyyy-MM-dd}; repair may be applied for.", r.RecordId);
            }
        }
    }

    private void RaiseForNewRecord(ref WarningCollector warnings, RecordEffect r, string subjectId)
    {
        if (IsGovernmentBody(subjectId))
        {
            RaiseForGovernmentRecord(ref warnings, r);
        }

        switch (r.Source?.Details)
        {
            case PenaltyImposed when r.PublicityClass == PublicityClass.Serious:
                warnings.Raise(WarningRuleIds.SeriousPenalty, "Serious-class administrative penalty.", r.RecordId);
                break;
            case CommitmentBroken:
                warnings.Raise(WarningRuleIds.CommitmentBroken, "Credit commitment broken.", r.RecordId);
                break;
            case TaxCreditRated { Level: TaxCreditLevel.D } when r.Status == RecordStatus.Active:
                warnings.Raise(WarningRuleIds.TaxRatingD, "Tax credit rating D.", r.RecordId);
                break;
            case TaxCreditRated { Level: TaxCreditLevel.C } when r.Status == RecordStatus.Active:
                warnings.Raise(WarningRuleIds.TaxRatingC, "Tax credit rating C.", r.RecordId);
                break;
            case AbnormalOperationsListed listed:
                warnings.Raise(WarningRuleIds.AbnormalOperationsListed, "Placed on the abnormal operations list.", r.RecordId);
                if (listed.Reason == AbnormalOperationsReason.AnnualReportNotFiled)
                {
                    warnings.Raise(WarningRuleIds.AnnualReportOverdue, "Annual report not filed.", r.RecordId);
                }

                break;
            case InspectionCompleted { Result: InspectionResult.NotPublishedAsRequired }:
                warnings.Raise(WarningRuleIds.AnnualReportOverdue, "Inspection found required information not published.", r.RecordId);
                break;
            case SocialInsuranceArrearsRecorded arrears when arrears.Months >= Rules.Warnings.SocialInsuranceArrearsMonths:
                warnings.Raise(WarningRuleIds.SocialInsuranceArrears, $"Social insurance in arrears for {arrears.Months} months.", r.RecordId);
                break;
        }
    }

    /// <summary>The government-integrity warnings (政务诚信监测预警) a record raises for a government organ or public institution.</summary>
    private static void RaiseForGovernmentRecord(ref WarningCollector warnings, RecordEffect r)
    {
        switch (r.Source?.Details)
        {
            case DishonestJudgmentDebtorListed:
                warnings.Raise(WarningRuleIds.GovernmentJudgmentDebtor, "Government body listed as a dishonest judgment debtor.", r.RecordId);
                break;
            case CommitmentBroken:
                warnings.Raise(WarningRuleIds.GovernmentCommitmentBroken, "Government commitment broken.", r.RecordId);
                break;
            case ContractPerformanceRecorded { Outcome: ContractOutcome.Breached, CounterpartyKind: CounterpartyKind.Private } contract:
                warnings.Raise(WarningRuleIds.SmeArrears, $"Contract with {contract.Counterparty} breached: arrears to a private enterprise.", r.RecordId);
                break;
        }
    }

    /// <summary>USCC categories 11 and 12 (机关, 事业单位), read from the code without a full validation.</summary>
    private static bool IsGovernmentBody(string subjectId) =>
        subjectId.Length == 18 && subjectId[0] == '1' && subjectId[1] is '1' or '2';

    /// <summary>Gathers warnings raised during one step, de-duplicated per rule within the window, allocating only when needed.</summary>
    private struct WarningCollector(CreditEvaluator evaluator, SubjectEvaluation state, DateTimeOffset now)
    {
        private ImmutableArray<IntegrityWarning>.Builder? added;

        public long Raised { get; private set; } = state.WarningsRaised;

        public void Raise(string ruleId, string reason, string? recordId)
        {
            var rules = evaluator.Rules.Warnings;
            var window = rules.DeduplicationWindow;
            foreach (var w in state.Warnings)
            {
                if (w.RuleId == ruleId && now - w.RaisedAt < window)
                {
                    return;
                }
            }

            if (added is not null)
            {
                foreach (var w in added)
                {
                    if (w.RuleId == ruleId)
                    {
                        return;
                    }
                }
            }

            added ??= ImmutableArray.CreateBuilder<IntegrityWarning>();
            Raised++;
            added.Add(new IntegrityWarning(ruleId, rules[ruleId].Severity, reason, now, recordId) { Id = $"{state.SubjectId}/W{Raised}" });
        }

        public readonly ImmutableArray<IntegrityWarning> Result()
        {
            // Closed warnings are only kept while they still suppress duplicates.
            var cutoff = now - evaluator.Rules.Warnings.DeduplicationWindow;
            var stale = 0;
            foreach (var w in state.Warnings)
            {
                if (w.Status is WarningStatus.Resolved or WarningStatus.Escalated && w.RaisedAt <= cutoff)
                {
                    stale++;
                }
            }

            if (stale == 0 && added is null)
            {
                return state.Warnings;
            }

            var result = ImmutableArray.CreateBuilder<IntegrityWarning>(state.Warnings.Length - stale + (added?.Count ?? 0));
            foreach (var w in state.Warnings)
            {
                if (!(w.Status is WarningStatus.Resolved or WarningStatus.Escalated && w.RaisedAt <= cutoff))
                {
                    result.Add(w);
                }
            }

            if (added is not null)
            {
                result.AddRange(added);
            }

            return result.MoveToImmutable();
        }
    }
}
