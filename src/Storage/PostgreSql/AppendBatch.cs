using CreditGrid.Domain.Events;

namespace CreditGrid.Storage.PostgreSql;

/// <summary>
/// A batch prepared for appending before any lock is taken: in-batch duplicates resolved, and every first occurrence's
/// partition, event type name and JSON payload (as the UTF-8 text the server receives) computed, so the transaction
/// that holds the partition locks spends its time in the database only.
/// </summary>
/// <param name="DuplicateOf">Index of the first occurrence of the same key in the batch, or -1.</param>
/// <param name="Unique">Indexes of first occurrences, in input order.</param>
internal sealed record AppendBatch(
    IReadOnlyList<CreditEvent> Events, int[] DuplicateOf, List<int> Unique, int[] Partitions, string[] EventTypes, byte[][] Payloads);
