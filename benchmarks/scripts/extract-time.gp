# gnuplot -e "dir='DIR'" extract-time.gp: DIR/extract-time.dat (summarize.py) -> DIR/extract-time.png
# Median wall time with min-max error bars, per image size, for layerfd extract, cp --reflink and skopeo + unpack.
set terminal pngcairo size 900,560 noenhanced font "sans,11"
set output dir."/extract-time.png"
set title "Materialising an image's root filesystem on XFS (median of the repetitions, bars: min-max)"
set xlabel "image size (MiB, sum of the layers' uncompressed tars)"
set ylabel "wall time (s)"
set logscale xy
set xrange [10:2000]
set key top left
set grid
data = dir."/extract-time.dat"
plot data using 1:2:3:4 with yerrorlines title "layerfd extract (reflink)", \
     data using 1:5:6:7 with yerrorlines title "cp -a --reflink=always of the layer dirs (floor)", \
     data using 1:8:9:10 with yerrorlines title "skopeo copy to oci: + tar -x of the layers"
