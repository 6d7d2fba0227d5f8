using System.Text.Json;
using System.Text.Json.Serialization;

namespace CreditGrid.Grains.PreCredit;

/// <summary>
/// Compile-time JSON metadata of the stored decision document: the serializer writes it without reflection-driven
/// converters. Same shape as <see cref="System.Text.Json.JsonSerializerDefaults.Web"/> with reflection, which the
/// HTTP API returns and the stored documents already use.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(PreCreditDecisionView))]
internal sealed partial class DecisionDocumentContext : JsonSerializerContext;
