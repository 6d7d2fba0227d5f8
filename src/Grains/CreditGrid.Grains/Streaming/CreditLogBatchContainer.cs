using CreditGrid.Domain.Events;
using Orleans.Providers.Streams.Common;
using Orleans.Runtime;
using Orleans.Streams;

namespace CreditGrid.Grains.Streaming;

/// <summary>
/// One logged credit event on its way from a log partition to the subject's grain. The token is the event's
/// position in its partition, so tokens order exactly as the log does.
/// </summary>
[GenerateSerializer, Alias("creditgrid.credit-log-batch.v1")]
public sealed class CreditLogBatchContainer(StreamId streamId, LoggedCreditEvent logged, EventSequenceTokenV2 token) : IBatchContainer
{
    [Id(0)]
    public StreamId StreamId { get; } = streamId;

    [Id(1)]
    public LoggedCreditEvent Logged { get; } = logged;

    [Id(2)]
    public EventSequenceTokenV2 Token { get; } = token;

    public StreamSequenceToken SequenceToken => Token;

    /// <summary>Position of the event in its log partition.</summary>
    public long Position => Token.SequenceNumber;

    public IEnumerable<Tuple<T, StreamSequenceToken>> GetEvents<T>() =>
        Logged is T typed ? [Tuple.Create(typed, (StreamSequenceToken)Token)] : [];

    public bool ImportRequestContext() => false;
}
