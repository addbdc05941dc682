// Command gotlogproofs measures inclusion-proof verification with Go's golang.org/x/mod/sumdb/tlog, the yardstick
// for Rollproof's verifier (docs/benchmarks.md, issue 16). It also writes the proofs both sides verify, so that the
// two measure exactly the same work.
//
//	gotlogproofs gen FILE [LEAVES [COUNT]]   build a tree of LEAVES records (default 2^20, so every proof has 20
//	                                         hashes) and write COUNT (default 100000) proofs of random records to FILE
//	gotlogproofs verify FILE [SECONDS]       verify the proofs in FILE round-robin for SECONDS (default 5),
//	                                         single-threaded, and print "go-tlog proofs/s: N"
//
// FILE (little-endian): treeSize int64, root [32], count int32, hashesPerProof int32, then count records of
// index int64, leafHash [32], hashesPerProof hashes [32] in RFC 6962 order (the leaf's sibling first).
package main

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"math/rand"
	"os"
	"strconv"
	"time"

	"golang.org/x/mod/sumdb/tlog"
)

type proofSet struct {
	size   int64
	root   tlog.Hash
	index  []int64
	leaf   []tlog.Hash
	proofs []tlog.RecordProof
}

func main() {
	if len(os.Args) < 3 {
		fail("usage: gotlogproofs gen FILE [LEAVES [COUNT]] | verify FILE [SECONDS]")
	}
	switch os.Args[1] {
	case "gen":
		gen(os.Args[2], intArg(3, 1<<20), intArg(4, 100000))
	case "verify":
		verify(os.Args[2], float64(intArg(3, 5)))
	default:
		fail("unknown command " + os.Args[1])
	}
}

func gen(file string, leaves, count int64) {
	var stored []tlog.Hash
	reader := tlog.HashReaderFunc(func(indexes []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(indexes))
		for i, x := range indexes {
			out[i] = stored[x]
		}
		return out, nil
	})
	var data [8]byte
	for n := int64(0); n < leaves; n++ {
		binary.BigEndian.PutUint64(data[:], uint64(n))
		hashes, err := tlog.StoredHashes(n, data[:], reader)
		check(err)
		stored = append(stored, hashes...)
	}
	root, err := tlog.TreeHash(leaves, reader)
	check(err)
	random := rand.New(rand.NewSource(1))
	set := proofSet{size: leaves, root: root}
	for i := int64(0); i < count; i++ {
		n := random.Int63n(leaves)
		proof, err := tlog.ProveRecord(leaves, n, reader)
		check(err)
		binary.BigEndian.PutUint64(data[:], uint64(n))
		set.index = append(set.index, n)
		set.leaf = append(set.leaf, tlog.RecordHash(data[:]))
		set.proofs = append(set.proofs, proof)
	}
	write(file, set)
}

func verify(file string, seconds float64) {
	set := read(file)
	for k := range set.proofs { // every proof must be good, or the rate would measure early failures
		check(tlog.CheckRecord(set.proofs[k], set.size, set.root, set.index[k], set.leaf[k]))
	}
	start := time.Now()
	verified := 0
	for time.Since(start).Seconds() < seconds {
		for j := 0; j < 1024; j++ {
			k := verified % len(set.proofs)
			if tlog.CheckRecord(set.proofs[k], set.size, set.root, set.index[k], set.leaf[k]) != nil {
				fail("a proof failed to verify")
			}
			verified++
		}
	}
	fmt.Printf("go-tlog proofs/s: %.0f (%d proofs of %d hashes, tree size %d)\n",
		float64(verified)/time.Since(start).Seconds(), len(set.proofs), len(set.proofs[0]), set.size)
}

func write(file string, set proofSet) {
	f, err := os.Create(file)
	check(err)
	w := bufio.NewWriter(f)
	put := func(v any) { check(binary.Write(w, binary.LittleEndian, v)) }
	put(set.size)
	put(set.root)
	put(int32(len(set.proofs)))
	put(int32(len(set.proofs[0])))
	for k, proof := range set.proofs {
		if len(proof) != len(set.proofs[0]) {
			fail("proofs differ in length; use a power-of-two tree size")
		}
		put(set.index[k])
		put(set.leaf[k])
		put([]tlog.Hash(proof))
	}
	check(w.Flush())
	check(f.Close())
}

func read(file string) proofSet {
	f, err := os.Open(file)
	check(err)
	defer f.Close()
	r := bufio.NewReader(f)
	get := func(v any) { check(binary.Read(r, binary.LittleEndian, v)) }
	var set proofSet
	var count, perProof int32
	get(&set.size)
	get(&set.root)
	get(&count)
	get(&perProof)
	for k := int32(0); k < count; k++ {
		var index int64
		var leaf tlog.Hash
		proof := make(tlog.RecordProof, perProof)
		get(&index)
		get(&leaf)
		get([]tlog.Hash(proof))
		set.index = append(set.index, index)
		set.leaf = append(set.leaf, leaf)
		set.proofs = append(set.proofs, proof)
	}
	if _, err := r.ReadByte(); err != io.EOF {
		fail("trailing bytes in " + file)
	}
	return set
}

func intArg(i int, fallback int64) int64 {
	if len(os.Args) <= i {
		return fallback
	}
	v, err := strconv.ParseInt(os.Args[i], 10, 64)
	check(err)
	return v
}

func check(err error) {
	if err != nil {
		fail(err.Error())
	}
}

func fail(message string) {
	fmt.Fprintln(os.Stderr, "gotlogproofs:", message)
	os.Exit(1)
}
