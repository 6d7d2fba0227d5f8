using System.Text;

namespace CreditGrid.Simulator.Cli;

/// <summary>What an export wrote.</summary>
public sealed record NdjsonExportResult(int Subjects, long HistoryRecords, long LiveRecords, long Bytes)
{
    public long Lines => HistoryRecords + LiveRecords;
}

/// <summary>Writes a province's history, then live records, one wire-format record per line.</summary>
public static class NdjsonExporter
{
    // No BOM: a BOM on the first line would make it invalid JSON for line-oriented readers.
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    public static async Task<NdjsonExportResult> WriteAsync(ProvinceSimulator province, int liveRecords, string path, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
        await using (var writer = new StreamWriter(file, Utf8, 1 << 16) { NewLine = "\n" })
        {
            long history = 0;
            foreach (var e in province.History())
            {
                await writer.WriteLineAsync(CreditRecordWriter.ToNdjsonLine(e).AsMemory(), cancellationToken);
                history++;
            }

            for (var i = 0; i < liveRecords; i++)
            {
                await writer.WriteLineAsync(CreditRecordWriter.ToNdjsonLine(province.NextLiveEvent()).AsMemory(), cancellationToken);
            }

            await writer.FlushAsync(cancellationToken);
            return new NdjsonExportResult(province.Subjects.Count, history, liveRecords, file.Length);
        }
    }
}
