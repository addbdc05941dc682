using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Rollproof.Server.Logging;

/// <summary>Records every request in the <see cref="RequestLog"/> once its response is decided, whatever answered it.</summary>
public static class RequestLogMiddleware
{
    public static IApplicationBuilder UseRequestLog(this IApplicationBuilder app)
    {
        var log = app.ApplicationServices.GetRequiredService<RequestLog>();
        var clock = app.ApplicationServices.GetRequiredService<TimeProvider>();
        return app.Use(async (context, next) =>
        {
            var time = clock.GetUtcNow();
            var started = Stopwatch.GetTimestamp();
            var status = StatusCodes.Status500InternalServerError;
            try
            {
                await next(context);
                status = context.Response.StatusCode;
            }
            finally
            {
                // Read after the rest of the pipeline ran, so the actor an authentication step found is known here.
                var actor = context.User.Identity is { IsAuthenticated: true, Name: { } name } ? name : null;
                await log.RecordAsync(new RequestLogEntry(
                    time, context.Request.Method, context.Request.PathBase.Add(context.Request.Path).Value ?? "/",
                    context.Request.Query.Count, status, Stopwatch.GetElapsedTime(started), actor,
                    context.Connection.RemoteIpAddress?.ToString()));
            }
        });
    }
}
