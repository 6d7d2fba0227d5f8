using CreditGrid.Domain.Ingest;

namespace CreditGrid.Gateway.Ingest;

/// <summary>A submitted record as read from its JSON: the parse result, and the record id a rejection reports.</summary>
/// <param name="RecordId">The record's <c>recordId</c> when it was refused and had one; an accepted record carries its own.</param>
public readonly record struct IncomingRecord(RecordParseResult Parsed, string? RecordId);
