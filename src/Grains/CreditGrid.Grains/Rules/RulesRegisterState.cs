namespace CreditGrid.Grains.Rules;

/// <summary>The activated versions, oldest first; the last one is active. Files are kept so a restart restores them.</summary>
[GenerateSerializer, Alias("creditgrid.rules-register-state.v1")]
public sealed class RulesRegisterState
{
    [Id(0)]
    public List<RulesActivation> Activations { get; set; } = [];
}
