using System.Diagnostics;
using Rollproof.Common;
using Rollproof.Formats;

namespace Rollproof.Signing;

/// <summary>How an external signing command prints its signature.</summary>
public enum SignatureEncoding
{
    Raw,
    Base64,
}

/// <summary>
/// Signs through a configured command (a cloud KMS CLI, <c>openssl</c> with a PKCS#11 engine, an HSM tool) that reads
/// the bytes to sign on stdin and prints the signature on stdout. The private key never enters this process; every
/// signature is checked against the key's public half before it is used, so a misconfigured signer fails loudly.
/// </summary>
public sealed class ExternalCommandSigner(string command, IReadOnlyList<string> arguments, PublicKey publicKey, SignatureEncoding encoding, TimeSpan timeout) : IStatementSigner
{
    private const int MaxSignatureOutput = 64 * 1024;

    public string KeyId => publicKey.KeyId;

    public PublicKey PublicKey => publicKey;

    public byte[] Sign(ReadOnlySpan<byte> data)
    {
        var start = new ProcessStartInfo(command)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        start.Environment.Remove("ROLLPROOF_PASSPHRASE"); // the signer holds its own key; it needs none of ours
        Process process;
        try
        {
            process = Process.Start(start) ?? throw Failed("could not be started");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw Failed($"could not be started: {e.Message}");
        }
        using var _ = process;
        var output = new MemoryStream();
        var copy = CopyBoundedAsync(process.StandardOutput.BaseStream, output, MaxSignatureOutput + 1);
        var error = CopyBoundedAsync(process.StandardError.BaseStream, new MemoryStream(), MaxSignatureOutput);
        // Written from another thread: a command that stops reading must not hang us past the timeout.
        var input = data.ToArray();
        var writing = Task.Run(() =>
        {
            try
            {
                process.StandardInput.BaseStream.Write(input);
                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // The command closed its input early; its exit code and stderr below say why.
            }
        });
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw Failed($"did not finish within {timeout.TotalSeconds:0} s");
        }
        Task.WaitAll([copy, writing], timeout);
        if (process.ExitCode != 0)
            throw Failed($"exited with code {process.ExitCode}: {FirstLine(System.Text.Encoding.UTF8.GetString(error.Result.ToArray()))}");
        if (output.Length is 0 or > MaxSignatureOutput)
            throw Failed($"printed {output.Length} bytes, not a signature");
        var signature = Decode(output.ToArray());
        if (!publicKey.Verify(data, signature))
            throw Failed($"returned a signature that does not verify with key {publicKey.KeyId}: check the command signs with that key and prints a {(publicKey.Algorithm == KeyAlgorithm.EcdsaP256 ? "DER ECDSA" : "raw Ed25519")} signature");
        return signature;
    }

    // A misbehaving command may print without end: keep only what a signature (or an error line) can need.
    private static async Task<MemoryStream> CopyBoundedAsync(Stream from, MemoryStream to, int limit)
    {
        var buffer = new byte[8192];
        int read;
        while ((read = await from.ReadAsync(buffer)) > 0)
        {
            if (to.Length < limit)
                to.Write(buffer, 0, (int)Math.Min(read, limit - to.Length));
        }
        return to;
    }

    private byte[] Decode(byte[] output)
    {
        if (encoding == SignatureEncoding.Raw)
            return output;
        var text = System.Text.Encoding.ASCII.GetString(output).Trim();
        return StrictBase64.TryDecode(text, out var signature) ? signature : throw Failed("did not print valid base64");
    }

    private ProblemException Failed(string what) =>
        new(new Problem(ErrorCodes.ExternalSignerFailed, $"external signer '{command}' {what}"));

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();
}
