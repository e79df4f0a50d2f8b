#!/usr/bin/env python3
# Shares of JFR CPU-time samples per layer of Coffre, from `jfr print --json --events
# jdk.CPUTimeSample`: the audit trail and key unwrapping wherever they appear in a stack, then the
# innermost recognised frame (a SQLite call under a handler counts as metadata). Used by profile.sh.
import json,sys,collections
d=json.load(open(sys.argv[1]))
# order matters: first match wins (innermost layers first)
layers=[
 ('metadata (SQLite)', ['fr.coffre.metadata.']),
 ('audit trail', ['fr.coffre.audit.','AuditService']),
 ('key unwrap', ['ObjectCrypto.unwrap','RootKey.unwrap']),
 ('decrypt/encrypt + integrity', ['fr.coffre.crypto.','com.google.crypto.tink']),
 ('blob store (files)', ['fr.coffre.storage.']),
 ('SigV4 authentication', ['fr.coffre.s3.auth.']),
 ('authorization (policy)', ['AccessService','fr.coffre.policy.']),
 ('S3 handler (headers, XML)', ['fr.coffre.s3.handlers.','fr.coffre.s3.S3Pipeline']),
 ('HTTP (Jetty parse, socket write)', ['org.eclipse.jetty']),
]
c=collections.Counter(); n=0
for e in d['recording']['events']:
    st=e['values'].get('stackTrace')
    if not st: continue
    fr=[(f['method']['type']['name']+'.'+f['method']['name']).replace('/','.') for f in st['frames']]
    n+=1
    # innermost first: scan frames from leaf
    hit='other (GC, JIT, scheduler)'
    done=False
    for name,pats in [('audit trail',['fr.coffre.audit.AuditLog']),('key unwrap',['ObjectCrypto.unwrap','ObjectCrypto.newDataKey'])]:
        if any(p in f for f in fr for p in pats):
            hit=name; done=True; break
    for f in fr:
        for name,pats in layers:
            if any(p in f for p in pats):
                hit=name; done=True; break
        if done: break
    c[hit]+=1
print("samples",n)
for k,v in c.most_common(): print("%-36s %5.1f%%"%(k,100*v/n))
