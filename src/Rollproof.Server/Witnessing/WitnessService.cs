using Rollproof.Common;
using Rollproof.Signing;
using Rollproof.Transparency.Witnessing;

namespace Rollproof.Server.Witnessing;

/// <summary>The server's witness, holding its state directory's lock from start to shutdown.</summary>
public sealed class WitnessService : IDisposable
{
    private readonly WitnessStateDirectory _state;

    private WitnessService(Witness witness, WitnessStateDirectory state)
    {
        Witness = witness;
        _state = state;
    }

    public Witness Witness { get; }

    /// <summary>The witness <paramref name="options"/> asks for, or null when the server is not asked to be one.</summary>
    public static Result<WitnessService?> OpenIfAsked(WitnessOptions? options)
    {
        if (options is null)
            return Result<WitnessService?>.Ok(null);
        var opened = Open(options);
        return opened.IsOk ? Result<WitnessService?>.Ok(opened.Value) : opened.Problem;
    }

    public static Result<WitnessService> Open(WitnessOptions options)
    {
        var cosigner = NoteSignerFile.Load(options.KeyFile, "witness");
        if (!cosigner.IsOk)
            return cosigner.Problem;
        if (cosigner.Value is not CosignatureV1Signer signer)
            return Result<WitnessService>.Fail(ErrorCodes.UnsupportedKeyType, $"'{options.KeyFile}' is not a cosigning key (make one with 'rollproof log keygen NAME --cosigner')");
        var logKeys = new List<INoteVerifier>();
        foreach (var vkey in options.LogVerifierKeys)
        {
            var key = NoteKeys.ParseVerifierKey(vkey);
            if (!key.IsOk)
                return key.Problem with { Message = $"--witness-log: {key.Problem.Message}" };
            logKeys.Add(key.Value);
        }
        var state = WitnessStateDirectory.Open(options.StateDirectory);
        if (!state.IsOk)
            return state.Problem;
        return Result<WitnessService>.Ok(new WitnessService(new Witness(logKeys, signer, state.Value), state.Value));
    }

    public void Dispose() => _state.Dispose();
}
