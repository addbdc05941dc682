// Command gooracle is an independent reference oracle for Rollproof's interop
// tests. It computes Merkle tree roots, inclusion proofs and consistency proofs
// with Go's golang.org/x/mod/sumdb/tlog, and verifies signed notes with
// golang.org/x/mod/sumdb/note.
//
// It reads one JSON request from stdin and writes one JSON response to stdout;
// see README.md for the contract. Malformed input, or a proof that fails tlog's
// own self-check, makes it exit non-zero with a message on stderr. A note that
// fails to verify is not an error: it is reported with ok=false.
//
// Proof order: tlog builds proofs recursively, emitting the proof for the
// subtree that contains the target first and appending the sibling subtree
// hash last (leafProof/treeProof: `append(p, th)`). That is exactly RFC 6962's
// PATH (audit path bottom-up, the leaf's sibling first) and SUBPROOF order, so
// the hashes are emitted as tlog returns them, with no reordering.
package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

type request struct {
	Leaves      []string         `json:"leaves"` // base64 raw entry bytes
	Roots       []int64          `json:"roots"`  // tree sizes
	Inclusion   []inclusionReq   `json:"inclusion"`
	Consistency []consistencyReq `json:"consistency"`
	Notes       []noteReq        `json:"notes"`
}

type inclusionReq struct {
	Index int64 `json:"index"`
	Size  int64 `json:"size"`
}

type consistencyReq struct {
	Old int64 `json:"old"`
	New int64 `json:"new"`
}

type noteReq struct {
	VKey string `json:"vkey"`
	Note string `json:"note"`
}

type response struct {
	Roots       []rootResp        `json:"roots"`
	Inclusion   []inclusionResp   `json:"inclusion"`
	Consistency []consistencyResp `json:"consistency"`
	Notes       []noteResp        `json:"notes"`
}

type rootResp struct {
	Size int64  `json:"size"`
	Root []byte `json:"root"` // encoding/json emits []byte as standard base64
}

type inclusionResp struct {
	Index  int64    `json:"index"`
	Size   int64    `json:"size"`
	Hashes [][]byte `json:"hashes"`
}

type consistencyResp struct {
	Old    int64    `json:"old"`
	New    int64    `json:"new"`
	Hashes [][]byte `json:"hashes"`
}

type noteResp struct {
	OK    bool   `json:"ok"`
	Text  string `json:"text"`
	Error string `json:"error"`
}

// hashStore is an in-memory tlog.HashReader over the stored hashes of the
// whole log, laid out as tlog.StoredHashIndex dictates.
type hashStore []tlog.Hash

func (s hashStore) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(indexes))
	for i, x := range indexes {
		if x < 0 || x >= int64(len(s)) {
			return nil, fmt.Errorf("stored hash index %d out of range (have %d)", x, len(s))
		}
		out[i] = s[x]
	}
	return out, nil
}

func main() {
	if err := run(os.Stdin, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "gooracle:", err)
		os.Exit(1)
	}
}

func run(in io.Reader, out io.Writer) error {
	dec := json.NewDecoder(in)
	dec.DisallowUnknownFields()
	var req request
	if err := dec.Decode(&req); err != nil {
		return fmt.Errorf("malformed request: %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return fmt.Errorf("malformed request: trailing data after the JSON object")
	}

	store, err := buildStore(req.Leaves)
	if err != nil {
		return err
	}
	n := int64(len(req.Leaves))
	resp := response{
		Roots:       []rootResp{},
		Inclusion:   []inclusionResp{},
		Consistency: []consistencyResp{},
		Notes:       []noteResp{},
	}

	for _, size := range req.Roots {
		if size < 0 || size > n {
			return fmt.Errorf("roots: size %d out of range [0, %d]", size, n)
		}
		h, err := treeHash(size, store)
		if err != nil {
			return err
		}
		resp.Roots = append(resp.Roots, rootResp{Size: size, Root: h[:]})
	}

	for _, q := range req.Inclusion {
		if q.Size < 1 || q.Size > n || q.Index < 0 || q.Index >= q.Size {
			return fmt.Errorf("inclusion: need 0 <= index < size <= %d, got index=%d size=%d", n, q.Index, q.Size)
		}
		p, err := tlog.ProveRecord(q.Size, q.Index, store)
		if err != nil {
			return fmt.Errorf("inclusion index=%d size=%d: %v", q.Index, q.Size, err)
		}
		root, err := tlog.TreeHash(q.Size, store)
		if err != nil {
			return err
		}
		// The leaf hash is read back from the store (level 0, index q.Index).
		leaf := store[tlog.StoredHashIndex(0, q.Index)]
		if err := tlog.CheckRecord(p, q.Size, root, q.Index, leaf); err != nil {
			return fmt.Errorf("self-check failed for inclusion index=%d size=%d: %v", q.Index, q.Size, err)
		}
		resp.Inclusion = append(resp.Inclusion, inclusionResp{Index: q.Index, Size: q.Size, Hashes: hashList(p)})
	}

	for _, q := range req.Consistency {
		// tlog (like RFC 6962) defines consistency proofs only for 1 <= old <= new.
		if q.Old < 1 || q.Old > q.New || q.New > n {
			return fmt.Errorf("consistency: need 1 <= old <= new <= %d, got old=%d new=%d", n, q.Old, q.New)
		}
		p, err := tlog.ProveTree(q.New, q.Old, store)
		if err != nil {
			return fmt.Errorf("consistency old=%d new=%d: %v", q.Old, q.New, err)
		}
		oldRoot, err := tlog.TreeHash(q.Old, store)
		if err != nil {
			return err
		}
		newRoot, err := tlog.TreeHash(q.New, store)
		if err != nil {
			return err
		}
		if err := tlog.CheckTree(p, q.New, newRoot, q.Old, oldRoot); err != nil {
			return fmt.Errorf("self-check failed for consistency old=%d new=%d: %v", q.Old, q.New, err)
		}
		resp.Consistency = append(resp.Consistency, consistencyResp{Old: q.Old, New: q.New, Hashes: hashList(p)})
	}

	for _, q := range req.Notes {
		resp.Notes = append(resp.Notes, openNote(q))
	}

	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(resp); err != nil {
		return err
	}
	_, err = out.Write(buf.Bytes())
	return err
}

// buildStore appends every leaf to an in-memory log, the way a tlog server
// would: tlog.StoredHashes yields the hashes to store for record i, which go
// at tlog.StoredHashIndex(0, i) onwards.
func buildStore(leaves []string) (hashStore, error) {
	var store hashStore
	for i, b64 := range leaves {
		data, err := base64.StdEncoding.DecodeString(b64)
		if err != nil {
			return nil, fmt.Errorf("malformed request: leaves[%d] is not standard base64: %v", i, err)
		}
		hashes, err := tlog.StoredHashes(int64(i), data, store)
		if err != nil {
			return nil, fmt.Errorf("storing leaf %d: %v", i, err)
		}
		if at := tlog.StoredHashIndex(0, int64(i)); at != int64(len(store)) {
			return nil, fmt.Errorf("internal error: leaf %d stored at %d, want %d", i, len(store), at)
		}
		store = append(store, hashes...)
	}
	return store, nil
}

// treeHash is tlog.TreeHash, except for the empty tree: tlog defines its hash
// as all zeros, whereas RFC 6962 (and C2SP tlog-checkpoint) define it as
// SHA-256 of the empty string. Report the RFC 6962 value so the oracle agrees
// with checkpoints of size 0.
func treeHash(size int64, r tlog.HashReader) (tlog.Hash, error) {
	if size == 0 {
		return tlog.Hash(sha256.Sum256(nil)), nil
	}
	return tlog.TreeHash(size, r)
}

func hashList(p []tlog.Hash) [][]byte {
	out := make([][]byte, len(p))
	for i := range p {
		out[i] = append([]byte(nil), p[i][:]...)
	}
	return out
}

func openNote(q noteReq) noteResp {
	v, err := note.NewVerifier(q.VKey)
	if err != nil {
		return noteResp{Error: err.Error()}
	}
	n, err := note.Open([]byte(q.Note), note.VerifierList(v))
	if err != nil {
		return noteResp{Error: err.Error()}
	}
	return noteResp{OK: true, Text: n.Text}
}
