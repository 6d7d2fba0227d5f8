using System.Reflection;
using Microsoft.AspNetCore.Http.Metadata;

namespace CreditGrid.Gateway.Infrastructure;

/// <summary>
/// 200 with a JSON body serialised before the request came (a grain's rendered document), written as it is. OpenAPI
/// describes it as <typeparamref name="TSchema"/>, the type the bytes are a serialisation of, exactly as it would
/// describe <c>Ok&lt;TSchema&gt;</c>.
/// </summary>
public sealed class JsonBytesResult<TSchema>(byte[] json) : IResult, IStatusCodeHttpResult, IContentTypeHttpResult, IEndpointMetadataProvider
{
    private const string JsonContentType = "application/json; charset=utf-8";

    public int StatusCode => StatusCodes.Status200OK;

    int? IStatusCodeHttpResult.StatusCode => StatusCode;

    public string ContentType => JsonContentType;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = StatusCode;
        response.ContentType = JsonContentType;
        response.ContentLength = json.Length;
        return response.Body.WriteAsync(json, httpContext.RequestAborted).AsTask();
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(TSchema), ["application/json"]));
}
