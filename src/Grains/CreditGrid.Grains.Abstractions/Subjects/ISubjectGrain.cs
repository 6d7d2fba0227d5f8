using CreditGrid.Domain.Scoring;

namespace CreditGrid.Grains.Subjects;

/// <summary>A credit subject (信用主体) keyed by its USCC, folding its credit events into a live evaluation.</summary>
[Alias("creditgrid.ISubjectGrain")]
public interface ISubjectGrain : IGrainWithStringKey
{
    /// <summary>The live evaluation, or null when the log holds no record of this subject.</summary>
    [Alias("GetView")]
    Task<SubjectView?> GetViewAsync();

    /// <summary>
    /// The live evaluation as the read API's JSON body, rendered once per change; null when the log holds no record
    /// of this subject. The lookup endpoint answers with these bytes. A value task: the caller's await then completes
    /// from Orleans' pooled response source without a task allocated per lookup.
    /// </summary>
    [Alias("GetViewDocument")]
    ValueTask<SubjectDocument?> GetViewDocumentAsync();

    /// <summary>The records that move the score, ordered by impact, and the caps on the grade; null when unknown.</summary>
    [Alias("GetExplanation")]
    Task<EvaluationExplanation?> GetExplanationAsync();

    /// <summary>Moves one of this subject's warnings through its lifecycle (OPEN → ACKNOWLEDGED → RESOLVED | ESCALATED).</summary>
    [Alias("ApplyWarningAction")]
    Task<WarningActionOutcome> ApplyWarningActionAsync(string warningId, WarningAction action);

    /// <summary>
    /// Folds anything the log has that this grain has not applied yet, then lets time pass and moves to the active
    /// rules version if it is behind; returns the last applied sequence. Used by time sweeps and eager re-evaluation.
    /// </summary>
    [Alias("CatchUp")]
    Task<long> CatchUpAsync();
}

/// <summary>企业: enterprises, individual businesses (个体工商户), social and other organisations.</summary>
[Alias("creditgrid.IEnterpriseGrain")]
public interface IEnterpriseGrain : ISubjectGrain;

/// <summary>政府机关 / 事业单位 (USCC categories 11 and 12), the subjects of government-integrity monitoring.</summary>
[Alias("creditgrid.IGovernmentBodyGrain")]
public interface IGovernmentBodyGrain : ISubjectGrain;

/// <summary>The warning after the action, or why the action was refused.</summary>
[GenerateSerializer, Immutable, Alias("creditgrid.warning-action-outcome.v1")]
public sealed record WarningActionOutcome(
    [property: Id(0)] IntegrityWarning? Warning,
    [property: Id(1)] WarningActionError? Error);
