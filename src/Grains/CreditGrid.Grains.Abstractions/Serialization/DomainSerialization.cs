using System.Text.Json;
using System.Text.Json.Serialization;
using Orleans.Serialization;

namespace CreditGrid.Grains.Serialization;

/// <summary>
/// The domain is Orleans-free, so its records cross grain boundaries through Orleans' System.Text.Json codec.
/// JSON keeps the versioned event aliases as discriminators, and no CLR type name is ever written.
/// </summary>
public static class DomainSerialization
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    public static ISerializerBuilder AddCreditGridDomainTypes(this ISerializerBuilder builder) =>
        builder.AddJsonSerializer(
            isSupported: type => type.Namespace?.StartsWith("CreditGrid.Domain", StringComparison.Ordinal) == true,
            jsonSerializerOptions: Options);
}
