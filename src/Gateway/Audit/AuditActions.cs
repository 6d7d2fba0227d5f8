namespace CreditGrid.Gateway.Audit;

/// <summary>The audited actions: a resource, a dot, a verb. Stable names, since stored records refer to them.</summary>
public static class AuditActions
{
    /// <summary>A subject's live evaluation was read.</summary>
    public const string CreditRead = "credit.read";

    /// <summary>The explanation of a subject's score was read.</summary>
    public const string CreditExplain = "credit.explain";

    /// <summary>A batch of credit records was submitted (one record per batch, with its counts).</summary>
    public const string EventsWrite = "events.write";

    /// <summary>Integrity warnings were queried.</summary>
    public const string AlertsRead = "alerts.read";

    /// <summary>The live feed of integrity warnings was opened.</summary>
    public const string AlertsFollow = "alerts.follow";

    /// <summary>A warning was acknowledged, resolved or escalated.</summary>
    public const string AlertsAct = "alerts.act";

    /// <summary>A rules version was submitted for activation (whatever the outcome).</summary>
    public const string RulesActivate = "rules.activate";

    /// <summary>A city's subjects were re-evaluated under the active rules.</summary>
    public const string RulesReevaluate = "rules.reevaluate";

    /// <summary>A special credit report was issued.</summary>
    public const string ReportIssue = "report.issue";

    /// <summary>A report's registry entry was read or a document checked against it.</summary>
    public const string ReportVerify = "report.verify";

    /// <summary>Public credit information was looked up.</summary>
    public const string PublicRead = "public.read";

    /// <summary>A bank asked for a pre-credit decision.</summary>
    public const string PreCreditDecide = "precredit.decide";

    /// <summary>A stored pre-credit decision was read.</summary>
    public const string PreCreditRead = "precredit.read";

    /// <summary>A bank reported a loan outcome.</summary>
    public const string PreCreditOutcome = "precredit.outcome";

    /// <summary>Decisions and outcomes were exported as a training set.</summary>
    public const string PreCreditExport = "precredit.export";

    /// <summary>An enterprise's authorisations of banks were granted, listed or revoked.</summary>
    public const string ConsentManage = "consent.manage";

    /// <summary>The audit log itself was queried.</summary>
    public const string AuditRead = "audit.read";

    /// <summary>The audit chain was verified.</summary>
    public const string AuditVerify = "audit.verify";
}
