using CreditGrid.Domain.Events;
using Orleans.Providers.Streams.Common;
using Orleans.Runtime;
using Orleans.Streams;

namespace CreditGrid.Grains.Streaming;

/// <summary>
/// One subject's events from one read of a log partition, on their way to the subject's grain in a single delivery.
/// The container's token is its last event's position, and containers are cached in token order, so tokens order
/// exactly as the log does; each event's own token adds its index within the container.
/// </summary>
[GenerateSerializer, Alias("creditgrid.credit-log-batch.v2")]
public sealed class CreditLogBatchContainer(StreamId streamId, IReadOnlyList<LoggedCreditEvent> events, IReadOnlyList<long> positions) : IBatchContainer
{
    [Id(0)]
    public StreamId StreamId { get; } = streamId;

    /// <summary>The subject's events in sequence order.</summary>
    [Id(1)]
    public IReadOnlyList<LoggedCreditEvent> Events { get; } = events;

    /// <summary>Each event's position in its log partition, ascending.</summary>
    [Id(2)]
    public IReadOnlyList<long> Positions { get; } = positions;

    public StreamSequenceToken SequenceToken => new EventSequenceTokenV2(Positions[^1]);

    public IEnumerable<Tuple<T, StreamSequenceToken>> GetEvents<T>()
    {
        for (var i = 0; i < Events.Count; i++)
        {
            if (Events[i] is T typed)
            {
                yield return Tuple.Create(typed, (StreamSequenceToken)new EventSequenceTokenV2(Positions[^1], i));
            }
        }
    }

    public bool ImportRequestContext() => false;
}
