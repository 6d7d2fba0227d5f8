using CreditGrid.Domain.Scoring;

namespace CreditGrid.Grains.Rules;

/// <summary>
/// The rules version this process evaluates with. One instance per silo; a swap is a single reference write, so a
/// fold in progress finishes under the evaluator it started with and the next one picks up the new version.
/// </summary>
public sealed class ActiveRules(StartupRules startup)
{
    private volatile CreditEvaluator _evaluator = new(startup.Rules);

    /// <summary>The rules the process started with (the embedded file, or <c>CreditGrid:Rules:Path</c>).</summary>
    public StartupRules Startup { get; } = startup;

    public CreditEvaluator Evaluator => _evaluator;

    public string Version => _evaluator.Rules.Version;

    /// <summary>Makes <paramref name="rules"/> current unless that version already is; true when it changed.</summary>
    public bool Use(CreditRules rules)
    {
        if (rules.Version == _evaluator.Rules.Version)
        {
            return false;
        }

        _evaluator = new CreditEvaluator(rules);
        return true;
    }
}
