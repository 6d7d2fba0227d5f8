using CreditGrid.Domain.Events;
using CreditGrid.Domain.Scoring;

namespace CreditGrid.Domain.Disclosure;

/// <summary>
/// What the public may see of a subject (信用公示), decided from its log alone: records whose publicity class has a
/// publicity period (DOMAIN §3.3) that has not yet ended, and the lists it currently stands on. Scores and grades
/// are not public: like 信用中国, the public side shows facts and list memberships only.
/// </summary>
public static class PublicDisclosure
{
    /// <summary>Selects the public part of a subject's history as of <paramref name="today"/> (a Shaanxi calendar date).</summary>
    /// <param name="history">The subject's records in sequence order.</param>
    public static PublicView Select(IReadOnlyList<CreditEvent> history, CreditRules rules, DateOnly today)
    {
        var withdrawn = WithdrawnRecords(history);
        var records = new List<PublicRecord>();
        var lists = new List<ListMembership>();
        foreach (var e in history)
        {
            if (withdrawn.Contains(e.RecordId))
            {
                continue;
            }

            if (PublicUntil(e, rules) is { } until && today < until.PublicUntil)
            {
                records.Add(new PublicRecord(e, until.Class, until.PublicUntil));
            }

            if (Membership(e, today) is { } membership)
            {
                lists.Add(membership);
            }
        }

        return new PublicView(
            [.. records.OrderByDescending(r => r.Event.DecisionDate)],
            [.. lists.OrderByDescending(l => l.ListedOn)]);
    }

    /// <summary>
    /// The class that sets the record's publicity period and the day publication stops; null for records that are
    /// not published at all (no class, or a class whose maximum period is zero, as for minor penalties before
    /// 2026-04-01). Penalties the provider did not classify take the class their penalty types imply.
    /// </summary>
    public static (PublicityClass Class, DateOnly PublicUntil)? PublicUntil(CreditEvent e, CreditRules rules)
    {
        var cls = e.Details is PenaltyImposed penalty && e.PublicityClass is null or PublicityClass.NotApplicable
            ? rules.Publicity.Infer(penalty.PenaltyTypes)
            : e.PublicityClass ?? PublicityClass.NotApplicable;
        if (cls == PublicityClass.NotApplicable)
        {
            return null;
        }

        var months = rules.Publicity.For(e.DecisionDate).For(cls).MaxMonths;
        return months > 0 ? (cls, e.DecisionDate.AddMonths(months)) : null;
    }

    /// <summary>Records taken out of publication by a later record: repaired, confirmed wrong, removed or lifted.</summary>
    private static HashSet<string> WithdrawnRecords(IReadOnlyList<CreditEvent> history)
    {
        var withdrawn = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < history.Count; i++)
        {
            var later = history[i];
            switch (later.Details)
            {
                case RepairCompleted repair:
                    withdrawn.Add(repair.TargetRecordId);
                    break;
                case ObjectionOpened { Status: ObjectionStatus.ErrorConfirmed } objection:
                    withdrawn.Add(objection.TargetRecordId);
                    break;
                case AbnormalOperationsRemoved { ListedRecordId: { } listed }:
                    withdrawn.Add(listed);
                    break;
                default:
                    for (var j = 0; j < i; j++)
                    {
                        if (Ends(later.Details, history[j].Details))
                        {
                            withdrawn.Add(history[j].RecordId);
                        }
                    }

                    break;
            }
        }

        return withdrawn;
    }

    private static bool Ends(EventDetails later, EventDetails earlier) => (later, earlier) switch
    {
        (SeriousDishonestyRemoved r, SeriousDishonestyListed l) => r.ListName == l.ListName && r.Authority == l.Authority,
        (AbnormalOperationsRemoved { ListedRecordId: null } r, AbnormalOperationsListed l) => r.Authority == l.Authority,
        (RestrictedConsumptionLifted r, RestrictedConsumptionOrdered o) => r.CaseNumber == o.CaseNumber,
        _ => false,
    };

    private static ListMembership? Membership(CreditEvent e, DateOnly today) => e.Details switch
    {
        SeriousDishonestyListed s => new(e.RecordId, ListKind.SeriousDishonesty, s.ListName, s.Authority, e.DecisionDate),
        DishonestJudgmentDebtorListed d => new(e.RecordId, ListKind.DishonestJudgmentDebtor, "失信被执行人名单", d.Court, e.DecisionDate),
        AbnormalOperationsListed a => new(e.RecordId, ListKind.AbnormalOperations, "经营异常名录", a.Authority, e.DecisionDate),
        RestrictedConsumptionOrdered r => new(e.RecordId, ListKind.RestrictedConsumption, "限制消费人员名单", r.Court, e.DecisionDate),
        RedListed r when r.ValidTo is null || r.ValidTo >= today => new(e.RecordId, ListKind.RedList, r.ListName, null, e.DecisionDate),
        _ => null,
    };
}

/// <summary>The public part of a subject's history.</summary>
/// <param name="Records">Records in their publicity period, newest first.</param>
/// <param name="Lists">Lists the subject stands on today, most recent listing first.</param>
public sealed record PublicView(IReadOnlyList<PublicRecord> Records, IReadOnlyList<ListMembership> Lists);

/// <summary>A record in its publicity period and the day publication stops.</summary>
public sealed record PublicRecord(CreditEvent Event, PublicityClass PublicityClass, DateOnly PublicUntil);

/// <summary>A list the subject stands on: 严重失信主体名单, 失信被执行人, 经营异常名录, 限制消费, or a red list (守信激励).</summary>
public sealed record ListMembership(string RecordId, ListKind Kind, string ListName, string? Authority, DateOnly ListedOn);

public enum ListKind
{
    SeriousDishonesty,
    DishonestJudgmentDebtor,
    AbnormalOperations,
    RestrictedConsumption,
    RedList,
}
