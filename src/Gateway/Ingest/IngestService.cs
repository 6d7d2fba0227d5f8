using System.Text.Json;
using CreditGrid.Domain.Events;
using CreditGrid.Domain.Ingest;
using CreditGrid.Grains.Telemetry;
using CreditGrid.Storage;
using Microsoft.Extensions.Options;

namespace CreditGrid.Gateway.Ingest;

/// <summary>
/// Validates a batch record by record, appends every valid one to the credit-event log in one atomic write, and
/// answers per record. Idempotent on (providing department, record id): a resubmitted record is a duplicate.
/// </summary>
public sealed class IngestService(ICreditEventLog log, TimeProvider time, IOptions<IngestLimits> limits)
{
    /// <summary>
    /// Reads the records of one batch, every one received at the same instant (the reader's creation). Taking what a
    /// record holds while its JSON is readable lets the body's parsed documents go as soon as each record is read.
    /// </summary>
    public Func<JsonElement, IncomingRecord> RecordReader()
    {
        var now = time.GetUtcNow();
        var tolerance = limits.Value.ClockTolerance;
        return record =>
        {
            var parsed = CreditRecordParser.Parse(record, now, tolerance);
            return new IncomingRecord(parsed, parsed.IsAccepted ? null : RecordIdOf(record));
        };
    }

    public Task<BatchResult> IngestAsync(IReadOnlyList<JsonElement> records, CancellationToken cancellationToken) =>
        IngestAsync(records.Select(RecordReader()).ToList(), onlyDepartment: null, cancellationToken);

    /// <param name="records">The batch as <see cref="RecordReader"/> read it.</param>
    /// <param name="onlyDepartment">When set, a record provided by any other department is rejected (a department writes only its own records).</param>
    public async Task<BatchResult> IngestAsync(IReadOnlyList<IncomingRecord> records, string? onlyDepartment, CancellationToken cancellationToken)
    {
        var results = new RecordResult[records.Count];
        var accepted = new List<(int Index, CreditEvent Event)>(records.Count);
        var seen = new HashSet<(string, string)>(records.Count);
        for (var i = 0; i < records.Count; i++)
        {
            var parsed = records[i].Parsed;
            if (parsed.Event is not { } e)
            {
                var rejection = parsed.Rejection!;
                results[i] = new RecordResult(i, records[i].RecordId, RecordStatus.Rejected, Field: rejection.Field, Reason: rejection.Reason, Message: rejection.Message);
                CreditGridMetrics.RecordRejected(rejection.Reason);
                continue;
            }

            if (onlyDepartment is not null && e.SourceDepartment != onlyDepartment)
            {
                results[i] = new RecordResult(i, e.RecordId, RecordStatus.Rejected, Field: "sourceDepartment", Reason: "not_your_department", Message: $"The caller submits for {onlyDepartment}, not {e.SourceDepartment}.");
                continue;
            }

            if (!seen.Add((e.SourceDepartment, e.RecordId)))
            {
                results[i] = new RecordResult(i, e.RecordId, RecordStatus.Duplicate, Reason: "duplicate_in_batch", Message: "An earlier record of this batch has the same sourceDepartment and recordId.");
                CreditGridMetrics.RecordDuplicate("duplicate_in_batch");
                continue;
            }

            accepted.Add((i, e));
        }

        if (accepted.Count > 0)
        {
            var outcomes = await log.AppendAsync(accepted.ConvertAll(a => a.Event), cancellationToken);
            for (var j = 0; j < accepted.Count; j++)
            {
                var (index, e) = accepted[j];
                results[index] = outcomes[j].Status == AppendStatus.Accepted
                    ? new RecordResult(index, e.RecordId, RecordStatus.Accepted, outcomes[j].SubjectSequence)
                    : new RecordResult(index, e.RecordId, RecordStatus.Duplicate, outcomes[j].SubjectSequence, Reason: "already_recorded", Message: "This sourceDepartment and recordId are already in the credit-event log.");
            }
        }

        var result = new BatchResult(
            results.Count(r => r.Status == RecordStatus.Accepted),
            results.Count(r => r.Status == RecordStatus.Duplicate),
            results.Count(r => r.Status == RecordStatus.Rejected),
            results);
        CreditGridMetrics.EventsAccepted.Add(result.Accepted);
        CreditGridMetrics.RecordDuplicate("already_recorded", results.Count(r => r.Reason == "already_recorded"));
        return result;
    }

    private static string? RecordIdOf(JsonElement record) =>
        record.ValueKind == JsonValueKind.Object && record.TryGetProperty("recordId", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;
}
