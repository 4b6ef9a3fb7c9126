// Reference for bench/: parses every file named on stdin (one path a line) with HashiCorp's
// hclsyntax (the HCL native-syntax parser inside Terraform and tflint) and does nothing else,
// on N goroutines (-j N, default 1). Prints the file count, bytes and the number of files with
// error diagnostics, so the work can be checked against ts_parse_baseline's figures.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"sync"
	"sync/atomic"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

func main() {
	jobs := flag.Int("j", 1, "number of goroutines parsing files")
	flag.Parse()
	if *jobs < 1 {
		*jobs = 1
	}
	var paths []string
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<16), 1<<20)
	for in.Scan() {
		if line := in.Text(); line != "" {
			paths = append(paths, line)
		}
	}
	var next, bytes, withErrors, unreadable int64
	var wg sync.WaitGroup
	for w := 0; w < *jobs; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := atomic.AddInt64(&next, 1) - 1
				if i >= int64(len(paths)) {
					return
				}
				src, err := os.ReadFile(paths[i])
				if err != nil {
					atomic.AddInt64(&unreadable, 1)
					continue
				}
				atomic.AddInt64(&bytes, int64(len(src)))
				_, diags := hclsyntax.ParseConfig(src, paths[i], hcl.Pos{Line: 1, Column: 1, Byte: 0})
				if diags.HasErrors() {
					atomic.AddInt64(&withErrors, 1)
				}
			}
		}()
	}
	wg.Wait()
	fmt.Printf("files=%d bytes=%d files_with_errors=%d unreadable=%d\n", len(paths), bytes, withErrors, unreadable)
}
