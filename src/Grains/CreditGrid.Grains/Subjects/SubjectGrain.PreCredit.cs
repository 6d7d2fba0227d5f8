using CreditGrid.Domain.PreCredit;
using CreditGrid.Grains.PreCredit;

namespace CreditGrid.Grains.Subjects;

/// <summary>The subject's pre-credit features, read from the live evaluation by the one shared extractor.</summary>
public abstract partial class SubjectGrain : IPreCreditFeatureSource
{
    public Task<PreCreditFeatures?> GetPreCreditFeaturesAsync()
    {
        if (!_current)
        {
            return CatchUpThenAsync(GetPreCreditFeaturesAsync);
        }

        if (_evaluation.LastAppliedSequence == 0)
        {
            DeactivateOnIdle();
            return Task.FromResult<PreCreditFeatures?>(null);
        }

        if (RefreshForTime())
        {
            AfterChange();
        }

        return Task.FromResult<PreCreditFeatures?>(PreCreditFeatureExtractor.Extract(_evaluation, rules.Evaluator.Rules));
    }
}
