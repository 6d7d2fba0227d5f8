using CreditGrid.Domain.PreCredit;
using CreditGrid.Grains.PreCredit;

namespace CreditGrid.Grains.Subjects;

/// <summary>
/// The subject's pre-credit features, read from the live evaluation by the one shared extractor, and posted on the
/// silo's <see cref="SubjectDocumentBoard"/> beside its lookup document for the silo's pre-credit desk.
/// </summary>
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

        // Extracted once per change where the board is open: the posting is withdrawn with every change.
        if (_postedFeatures is not { } features)
        {
            features = PreCreditFeatureExtractor.Extract(_evaluation, rules.Evaluator.Rules);
            Post(_postedDocument, features);
        }

        return Task.FromResult<PreCreditFeatures?>(features);
    }
}
