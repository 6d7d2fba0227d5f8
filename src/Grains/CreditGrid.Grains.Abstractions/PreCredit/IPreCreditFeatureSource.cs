using CreditGrid.Domain.PreCredit;

namespace CreditGrid.Grains.PreCredit;

/// <summary>
/// What a subject grain tells the pre-credit worker: its pre-credit features read from the live evaluation. Reach it
/// with <c>grains.GetGrain&lt;IEnterpriseGrain&gt;(uscc).AsReference&lt;IPreCreditFeatureSource&gt;()</c>.
/// </summary>
[Alias("creditgrid.IPreCreditFeatureSource")]
public interface IPreCreditFeatureSource : IGrainWithStringKey
{
    /// <summary>The features as of now, or null when the log holds no record of the subject.</summary>
    [Alias("GetPreCreditFeatures")]
    Task<PreCreditFeatures?> GetPreCreditFeaturesAsync();
}
