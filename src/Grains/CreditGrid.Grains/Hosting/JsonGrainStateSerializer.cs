using System.Text.Json;
using CreditGrid.Grains.Serialization;
using Orleans.Storage;

namespace CreditGrid.Grains.Hosting;

/// <summary>
/// Grain state as plain System.Text.Json with no CLR type names, so renaming a namespace or an assembly never
/// strands stored snapshots (the default Newtonsoft format embeds assembly-qualified <c>$type</c> names). Event
/// details keep their versioned aliases as discriminators, which are stable by design.
/// </summary>
public sealed class JsonGrainStateSerializer : IGrainStorageSerializer
{
    public BinaryData Serialize<T>(T? input) => new(JsonSerializer.SerializeToUtf8Bytes(input, DomainSerialization.Options));

    public T Deserialize<T>(BinaryData input) => input.ToObjectFromJson<T>(DomainSerialization.Options)!;
}
