namespace CreditGrid.Gateway.PreCredit;

/// <summary>
/// 200 with the desk's decision document as the body, written as it is: the headers <c>TypedResults.Bytes</c> writes
/// (content type and length) without its file-download machinery (range and precondition checks, a logger per answer).
/// </summary>
internal sealed class DecisionDocumentResult(byte[] json) : IResult, IStatusCodeHttpResult, IContentTypeHttpResult
{
    public const string JsonContentType = "application/json; charset=utf-8";

    public int? StatusCode => StatusCodes.Status200OK;

    public string ContentType => JsonContentType;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = JsonContentType;
        response.ContentLength = json.Length;
        return response.Body.WriteAsync(json, httpContext.RequestAborted).AsTask();
    }
}
