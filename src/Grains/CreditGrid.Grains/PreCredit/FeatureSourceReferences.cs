using CreditGrid.Grains.Subjects;

namespace CreditGrid.Grains.PreCredit;

/// <summary>
/// An enterprise grain addressed as <see cref="IPreCreditFeatureSource"/> without Orleans' per-call reflection:
/// <c>AsReference&lt;T&gt;()</c> resolves the interface type from its attributes on every call, which cost a
/// decision about as much CPU as its model. The interface type is fixed by the code, so it is resolved once.
/// </summary>
internal static class FeatureSourceReferences
{
    private static volatile GrainInterfaceTypeBox? _interface;

    public static IPreCreditFeatureSource FeatureSource(this IGrainFactory grains, string uscc)
    {
        var enterprise = grains.Reference<IEnterpriseGrain>(uscc);
        if (_interface is { } resolved)
        {
            return (IPreCreditFeatureSource)grains.GetGrain(enterprise.GetGrainId(), resolved.Type);
        }

        var source = enterprise.AsReference<IPreCreditFeatureSource>();
        if (source is GrainReference { InterfaceType: var interfaceType })
        {
            _interface = new GrainInterfaceTypeBox(interfaceType);
        }

        return source;
    }

    // A reference, so that readers never see a torn value.
    private sealed record GrainInterfaceTypeBox(GrainInterfaceType Type);
}
