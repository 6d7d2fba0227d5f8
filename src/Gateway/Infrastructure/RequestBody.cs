using Microsoft.AspNetCore.Http.Features;

namespace CreditGrid.Gateway.Infrastructure;

/// <summary>Reads a request body whole into a pooled buffer, refusing one larger than the limit before buffering it.</summary>
/// <remarks>
/// A batch of 5,000 records is a few megabytes. Read through a growing <see cref="MemoryStream"/> and a fresh 80 KB
/// chunk, every such request allocated a chain of doubling large-object arrays, and under bulk ingest their budget set
/// off a full collection every second or two. The pooled buffer is sized from Content-Length when the client declares
/// it, and grows by doubling only when it does not.
/// </remarks>
public static class RequestBody
{
    private const int UndeclaredInitialBytes = 16 * 1024;

    /// <returns>The body, or null when it exceeds <paramref name="maxBytes"/>. Dispose it when done with its bytes.</returns>
    public static async Task<PooledBody?> ReadAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            return null;
        }

        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            sizeFeature.MaxRequestBodySize = null;
        }

        // No array holds more; a larger configured limit would otherwise overflow the buffer's growth below.
        maxBytes = Math.Min(maxBytes, Array.MaxLength - 1L);

        // One byte more than declared, so that the end of the body is seen without growing the buffer.
        var body = new PooledBody(request.ContentLength is { } declared ? (int)declared + 1 : UndeclaredInitialBytes);
        try
        {
            while (true)
            {
                if (body.Length == body.Capacity)
                {
                    body.Grow((int)Math.Min(2L * body.Capacity, maxBytes + 1));
                }

                var read = await request.Body.ReadAsync(body.FreeSpace, cancellationToken);
                if (read == 0)
                {
                    var whole = body;
                    body = null;
                    return whole;
                }

                body.Advance(read);
                if (body.Length > maxBytes)
                {
                    return null;
                }
            }
        }
        finally
        {
            body?.Dispose();
        }
    }
}
