using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Serialization.Cloning;

namespace CreditGrid.Grains.Serialization;

/// <summary>
/// The domain is Orleans-free, so its records cross grain boundaries through Orleans' System.Text.Json codec.
/// JSON keeps the versioned event aliases as discriminators, and no CLR type name is ever written.
/// </summary>
/// <remarks>
/// Within a process Orleans copies what a call passes, so that no two activations share mutable state. Domain records
/// are immutable (init-only members, read-only and frozen collections), so they are passed as they are
/// (<see cref="ImmutableDomainRecords"/>): copying them through the JSON codec serialised and parsed every credit
/// event a stream delivered and every feature set a pre-credit decision read, only to produce an equal object.
/// </remarks>
public static class DomainSerialization
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    public static bool IsDomainType(Type type) => type.Namespace?.StartsWith("CreditGrid.Domain", StringComparison.Ordinal) == true;

    public static ISerializerBuilder AddCreditGridDomainTypes(this ISerializerBuilder builder)
    {
        builder.Services.AddSingleton<IGeneralizedCopier, ImmutableDomainRecords>();
        return builder.AddJsonSerializer(
            isSerializable: IsDomainType,
            isCopyable: _ => false,
            configureOptions: options => options.Configure(o => o.SerializerOptions = Options));
    }

    /// <summary>Hands domain records across in-process calls without copying them: they cannot be changed.</summary>
    private sealed class ImmutableDomainRecords : IGeneralizedCopier
    {
        public bool IsSupportedType(Type type) => IsDomainType(type);

        public object? DeepCopy(object? input, CopyContext context) => input;
    }
}
