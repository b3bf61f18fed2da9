using System;
using System.Buffers;
using System.IO;
using System.IO.Compression;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Telemetry.Ingest.Ingestion;

/// <summary>Why a body could not be read.</summary>
internal enum BodyFailure
{
    None,
    UnsupportedMediaType,
    UnsupportedEncoding,
    TooLarge,
    Unreadable,
}

/// <summary>A request body in a pooled buffer (return it with <see cref="Dispose"/>).</summary>
internal sealed class RequestBody : IDisposable
{
    private byte[]? _buffer;

    public RequestBody(byte[] buffer, int length)
    {
        _buffer = buffer;
        Length = length;
    }

    public int Length { get; }

    public ReadOnlyMemory<byte> Memory => _buffer is null ? ReadOnlyMemory<byte>.Empty : new ReadOnlyMemory<byte>(_buffer, 0, Length);

    public void Dispose()
    {
        var b = Interlocked.Exchange(ref _buffer, null);
        if (b is not null) ArrayPool<byte>.Shared.Return(b);
    }
}

/// <summary>Checks content type and encoding, and reads the body up to the size limit (after gzip decompression).</summary>
internal static class BodyReader
{
    /// <summary>Accepts <c>application/json</c> and <c>application/*+json</c>, UTF-8 or no charset.</summary>
    public static bool IsJson(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType) || !MediaTypeHeaderValue.TryParse(contentType, out var media)) return false;
        var type = media.MediaType.Value ?? "";
        var json = type.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || (type.StartsWith("application/", StringComparison.OrdinalIgnoreCase) && type.EndsWith("+json", StringComparison.OrdinalIgnoreCase));
        if (!json) return false;
        var charset = media.Charset.Value;
        return string.IsNullOrEmpty(charset) || charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) || charset.Equals("utf8", StringComparison.OrdinalIgnoreCase);
    }

    public static async Task<(RequestBody? Body, BodyFailure Failure, string Detail)> ReadAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        if (!IsJson(request.ContentType))
        {
            return (null, BodyFailure.UnsupportedMediaType, "Send the body as application/json (UTF-8); got '" + (request.ContentType ?? "no Content-Type") + "'.");
        }

        var encoding = request.Headers.ContentEncoding.ToString().Trim();
        var gzip = encoding.Equals("gzip", StringComparison.OrdinalIgnoreCase);
        if (encoding.Length > 0 && !gzip && !encoding.Equals("identity", StringComparison.OrdinalIgnoreCase))
        {
            return (null, BodyFailure.UnsupportedEncoding, "Content-Encoding '" + encoding + "' is not supported; use gzip or none.");
        }

        if (request.ContentLength is { } declared && declared > maxBytes)
        {
            return (null, BodyFailure.TooLarge, $"The body is {declared} bytes; the limit is {maxBytes} bytes.");
        }

        var limit = (int)Math.Min(maxBytes, int.MaxValue - 1);
        Stream source = request.Body;
        GZipStream? inflater = null;
        if (gzip) source = inflater = new GZipStream(request.Body, CompressionMode.Decompress, leaveOpen: true);
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(Math.Max(request.ContentLength ?? 16 * 1024, 1024) + 1, limit + 1L));
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (buffer.Length > limit) return Fail(ref buffer, BodyFailure.TooLarge, $"The body is larger than the limit of {maxBytes} bytes.");
                    var bigger = ArrayPool<byte>.Shared.Rent((int)Math.Min(buffer.Length * 2L, limit + 1L));
                    Buffer.BlockCopy(buffer, 0, bigger, 0, length);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }

                var read = await source.ReadAsync(buffer.AsMemory(length, buffer.Length - length), cancellationToken).ConfigureAwait(false);
                if (read == 0) break;
                length += read;
                if (length > limit) return Fail(ref buffer, BodyFailure.TooLarge, $"The body is larger than the limit of {maxBytes} bytes.");
            }
        }
        catch (InvalidDataException)
        {
            return Fail(ref buffer, BodyFailure.Unreadable, "The gzip body could not be decompressed.");
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return Fail(ref buffer, BodyFailure.TooLarge, $"The body is larger than the limit of {maxBytes} bytes.");
        }
        catch (BadHttpRequestException ex)
        {
            return Fail(ref buffer, BodyFailure.Unreadable, "The body could not be read: " + ex.Message);
        }
        finally
        {
            if (inflater is not null) await inflater.DisposeAsync().ConfigureAwait(false);
        }

        return (new RequestBody(buffer, length), BodyFailure.None, "");
    }

    private static (RequestBody?, BodyFailure, string) Fail(ref byte[] buffer, BodyFailure failure, string detail)
    {
        ArrayPool<byte>.Shared.Return(buffer);
        buffer = Array.Empty<byte>();
        return (null, failure, detail);
    }
}
