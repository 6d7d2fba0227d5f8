namespace CreditGrid.Domain.Scoring;

/// <summary>What a user or a process does with a warning.</summary>
public enum WarningAction
{
    Acknowledge,
    Resolve,
    Escalate,
}

/// <summary>Why a warning action was refused.</summary>
public enum WarningActionError
{
    UnknownWarning,

    /// <summary>The lifecycle does not allow this move from the current status.</summary>
    NotAllowedFromStatus,
}

/// <summary>The changed warning, or the reason it could not change.</summary>
public sealed record WarningTransition(IntegrityWarning? Warning, WarningActionError? Error);

/// <summary>The subject evaluation after a warning action, or unchanged with the reason.</summary>
public sealed record WarningActionResult(SubjectEvaluation State, WarningActionError? Error)
{
    public bool Succeeded => Error is null;
}

/// <summary>
/// 诚信预警 lifecycle as a pure state machine: OPEN → ACKNOWLEDGED → RESOLVED | ESCALATED.
/// A warning must be acknowledged before it is closed, so that every closure has had a human look at it.
/// </summary>
public static class WarningLifecycle
{
    public static WarningTransition Apply(IntegrityWarning warning, WarningAction action, DateTimeOffset at)
    {
        var target = (warning.Status, action) switch
        {
            (WarningStatus.Open, WarningAction.Acknowledge) => WarningStatus.Acknowledged,
            (WarningStatus.Acknowledged, WarningAction.Resolve) => WarningStatus.Resolved,
            (WarningStatus.Acknowledged, WarningAction.Escalate) => WarningStatus.Escalated,
            _ => (WarningStatus?)null,
        };

        return target is { } status
            ? new(warning with { Status = status, StatusChangedAt = at }, null)
            : new(null, WarningActionError.NotAllowedFromStatus);
    }

    /// <summary>Open and acknowledged warnings still need attention.</summary>
    public static bool IsActive(IntegrityWarning warning) => warning.Status is WarningStatus.Open or WarningStatus.Acknowledged;
}
